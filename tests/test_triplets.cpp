#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/envs/triplet_sampler.h"

using namespace hashrl;

namespace {

bool shares(const torch::Tensor& labels, int64_t a, int64_t b) {
  return (labels[a].logical_and(labels[b])).any().item<bool>();
}

void check_valid(const torch::Tensor& labels, const Triplets& t) {
  for (int64_t i = 0; i < t.anchor.numel(); ++i) {
    const int64_t a = t.anchor[i].item<int64_t>(), p = t.positive[i].item<int64_t>(), n = t.negative[i].item<int64_t>();
    REQUIRE(a != p);
    REQUIRE(shares(labels, a, p));
    REQUIRE_FALSE(shares(labels, a, n));
  }
}

}  // namespace

TEST_CASE("triplets on single-label data have a same-class positive and an other-class negative") {
  const auto labels = torch::one_hot(torch::arange(60) % 3, 3).to(torch::kUInt8);
  RandomTripletSampler sampler(labels, 1);
  check_valid(labels, sampler.sample(200));
}

TEST_CASE("triplets on multi-label data share at least one label, and the negative none") {
  auto gen = at::detail::createCPUGenerator(3);
  auto labels = (at::rand({80, 6}, gen) < 0.25).to(torch::kUInt8);
  labels.select(1, 0).slice(0, 0, 5).fill_(1);  // make sure some items have labels
  RandomTripletSampler sampler(labels, 2);
  check_valid(labels, sampler.sample(300));
}

TEST_CASE("a rare label still gets exact positives") {
  auto labels = torch::zeros({500, 2}, torch::kUInt8);
  labels.select(1, 0).fill_(1);
  labels[7][0] = 0, labels[7][1] = 1, labels[400][0] = 0, labels[400][1] = 1;  // two items of label 1
  RandomTripletSampler sampler(labels, 0);
  check_valid(labels, sampler.sample(500));
}

TEST_CASE("triplet sampling is seeded, and its state restores the sequence") {
  const auto labels = torch::one_hot(torch::arange(40) % 4, 4).to(torch::kUInt8);
  RandomTripletSampler a(labels, 9), b(labels, 9);
  CHECK(a.sample(10).anchor.equal(b.sample(10).anchor));
  const std::string state = a.state();
  const auto next = a.sample(10);
  b.set_state(state);
  CHECK(b.sample(10).positive.equal(next.positive));
  a.seed(9);
  RandomTripletSampler fresh(labels, 9);
  CHECK(a.sample(5).negative.equal(fresh.sample(5).negative));
}

TEST_CASE("no valid triplet is a clear error") {
  const auto one_class = torch::ones({10, 1}, torch::kUInt8);
  CHECK_THROWS_WITH(RandomTripletSampler(one_class, 0), Catch::Contains("no valid triplet"));
  const auto all_distinct = torch::eye(5).to(torch::kUInt8);
  CHECK_THROWS_WITH(RandomTripletSampler(all_distinct, 0), Catch::Contains("no valid triplet"));
}
