// Code statistics in the run report (issue 21): distinct codes, the largest shares, constant bits,
// and the collapse flag that says rankings are decided by ties between labels.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/retrieval/code_stats.h"

using namespace hashrl;

namespace {

// Each item's code is its class's code: `codes_of_class` [classes, q] picked by `labels` [n].
torch::Tensor by_class(const torch::Tensor& codes_of_class, const torch::Tensor& labels) {
  return codes_of_class.index_select(0, labels);
}

}  // namespace

TEST_CASE("code statistics count distinct codes, shares and constant bits") {
  auto gen = at::detail::createCPUGenerator(21);
  const auto varied = at::randint(0, 2, {5000, 32}, gen).to(torch::kUInt8);
  const auto labels = at::arange(5000, torch::kInt64) % 10;
  const auto healthy = code_stats(varied, labels);
  CHECK(healthy.items == 5000);
  CHECK(healthy.distinct == 5000);  // 2^32 values: no repeats among 5,000 draws (a 0.3% chance otherwise)
  CHECK(healthy.largest_share == Approx(1.0 / 5000));
  CHECK(healthy.largest_label_share == Approx(0.1));
  CHECK(healthy.constant_bits == 0);
  CHECK_FALSE(healthy.collapsed);

  const auto json = to_json(healthy);
  CHECK(json["distinct_codes"] == 5000);
  CHECK(json["largest_label_share"] == Approx(0.1));
  CHECK(json["collapsed"] == false);
  CHECK(code_stats(torch::empty({0, 8}, torch::kUInt8), torch::empty({0}, torch::kInt64)).distinct == 0);
}

TEST_CASE("few codes are no collapse while each keeps to a class, but one code over twice a class's share is") {
  auto gen = at::detail::createCPUGenerator(22);
  const auto labels = at::arange(69000, torch::kInt64) % 10;  // ten classes of 10%
  const auto class_codes = at::randint(0, 2, {10, 48}, gen).to(torch::kUInt8);

  // One code a class, as a perfect hasher: 10 codes for 69,000 items, each holding 10%.
  const auto perfect = code_stats(by_class(class_codes, labels), labels);
  CHECK(perfect.distinct == 10);
  CHECK_FALSE(perfect.collapsed);

  // Three classes on one code: it holds 30% of the items, three times the largest class's share.
  const auto three_on_one = torch::where(labels < 3, torch::zeros_like(labels), labels);
  const auto merged = code_stats(by_class(class_codes, three_on_one), labels);
  CHECK(merged.largest_share == Approx(0.3));
  CHECK(merged.collapsed);
  CHECK_THAT(collapse_warning(to_json(merged)),
             Catch::StartsWith("warning: the codes collapsed — one code holds 30% of the 69000 database items (the "
                               "most common label 10%), ") &&
                 Catch::Contains("of 48 bits constant, 8 distinct codes"));
  CHECK(collapse_warning(to_json(perfect)).empty());
  // Two classes on one code: 20%, exactly twice the share, not more: not flagged.
  const auto two = code_stats(by_class(class_codes, torch::where(labels < 2, torch::zeros_like(labels), labels)), labels);
  CHECK(two.largest_share == Approx(0.2));
  CHECK_FALSE(two.collapsed);

  // Labels given one-hot read as the class ids do.
  const auto one_hot = torch::one_hot(labels, 10);
  CHECK(code_stats(by_class(class_codes, labels), one_hot).largest_label_share == Approx(0.1));
  // Multi-label: a label that 60% of the items carry (a tag beside the classes) allows any code.
  auto multi = torch::one_hot(labels, 11);
  multi.slice(0, 0, 41400).select(1, 10).fill_(1);
  const auto shared_tag = code_stats(by_class(class_codes, three_on_one), multi);
  CHECK(shared_tag.largest_label_share == Approx(0.6));
  CHECK_FALSE(shared_tag.collapsed);

  CHECK_THROWS_WITH(code_stats(by_class(class_codes, labels), labels.slice(0, 0, 10)),
                    Catch::Contains("10 label rows for 69000 codes"));
  CHECK_THROWS_WITH(code_stats(by_class(class_codes, labels), labels - 1), Catch::Contains("negative class id"));
}

TEST_CASE("more than half the bits constant is a collapse") {
  auto gen = at::detail::createCPUGenerator(23);
  const auto varied = at::randint(0, 2, {5000, 32}, gen).to(torch::kUInt8);
  const auto labels = at::arange(5000, torch::kInt64) % 10;
  auto stuck = varied.clone();
  stuck.slice(1, 0, 17).fill_(1);
  const auto mostly_stuck = code_stats(stuck, labels);
  CHECK(mostly_stuck.constant_bits == 17);
  CHECK(mostly_stuck.bit_mean_max == 1.0);
  CHECK(mostly_stuck.largest_share < 0.01);  // the other 15 bits still spread the items
  CHECK(mostly_stuck.collapsed);
  stuck.slice(1, 16, 17).copy_(varied.slice(1, 16, 17));
  CHECK_FALSE(code_stats(stuck, labels).collapsed);  // 16 of 32: not more than half
}
