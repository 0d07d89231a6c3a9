// The classic baselines (agents/classic/), each against data whose answer is known.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <cmath>

#include "hashrl/agents/classic/hasher.h"
#include "hashrl/retrieval/ranking_metrics.h"
#include "hashrl/train/trainer.h"
#include "support.h"

using namespace hashrl;

namespace {

std::shared_ptr<Hasher> make_hasher(const std::string& kind, int64_t dim, int64_t bits,
                                    const std::vector<std::pair<std::string, std::string>>& settings = {}) {
  Config config;
  for (const auto& [key, value] : settings) config.set("agent." + key, value);
  return hasher_registry().create(kind, ConfigSection(config, "agent"), HasherShape{dim, bits});
}

torch::Tensor bits_of(Hasher& hasher, const torch::Tensor& x) { return (hasher.project(x) > 0).to(torch::kUInt8); }

// ||sign(V R) - V R||^2 per item: ITQ's objective, read through its scores V R.
double quantization_loss(Hasher& hasher, const torch::Tensor& x) {
  const auto scores = hasher.project(x).to(torch::kFloat64);
  return (torch::where(scores >= 0, 1.0, -1.0) - scores).pow(2).sum().item<double>() / x.size(0);
}

// Correlated Gaussian data: one fixed random linear map (and offset) of white noise drawn from
// `noise_seed`, so that two seeds give two samples of one distribution.
torch::Tensor correlated_gaussian(int64_t n, int64_t dim, uint64_t noise_seed) {
  torch::manual_seed(1);
  const auto map = torch::randn({dim, dim});
  torch::manual_seed(noise_seed);
  return torch::randn({n, dim}).mm(map / std::sqrt(double(dim))) + 3.0;
}

}  // namespace

TEST_CASE("ITQ's rotation lowers the quantization loss below PCA hashing's, monotonically") {
  const auto x = correlated_gaussian(2000, 32, 1);
  auto pcah = make_hasher("itq", 32, 16, {{"iterations", "0"}});
  pcah->fit(x, {});
  const double unrotated = quantization_loss(*pcah, x);
  INFO("PCA hashing (no rotation): " << unrotated);
  double previous = unrotated;
  for (const char* iterations : {"1", "5", "50"}) {
    auto itq = make_hasher("itq", 32, 16, {{"iterations", iterations}});
    itq->fit(x, {});
    const double loss = quantization_loss(*itq, x);
    INFO(iterations << " iterations: " << loss);
    CHECK(loss < previous);
    previous = loss;
  }
  CHECK(previous < 0.9 * unrotated);  // measured: 12.9 -> 11.0
}

TEST_CASE("ITQ codes of held-out items keep the rotation: the loss is low on new data too") {
  const auto train = correlated_gaussian(2000, 32, 1), test = correlated_gaussian(500, 32, 2);
  auto itq = make_hasher("itq", 32, 16), pcah = make_hasher("itq", 32, 16, {{"iterations", "0"}});
  itq->fit(train, {});
  pcah->fit(train, {});
  CHECK(quantization_loss(*itq, test) < quantization_loss(*pcah, test));
}

TEST_CASE("LSH bits differ with probability angle / pi (Charikar)") {
  // Symmetric data (x, -x, y, -y) has mean 0, so centring leaves the angle between x and y alone.
  const double angle = M_PI / 3;
  const auto x = torch::tensor({1.0f, 0.0f}), y = torch::tensor({float(std::cos(angle)), float(std::sin(angle))});
  const auto data = torch::stack({x, -x, y, -y});
  auto lsh = make_hasher("lsh", 2, 4096);
  lsh->fit(data, {});
  const auto bits = bits_of(*lsh, data);
  const double differing = bits[0].ne(bits[2]).to(torch::kFloat64).mean().item<double>();
  CHECK(differing == Approx(angle / M_PI).margin(0.03));
  CHECK(bits[0].ne(bits[1]).all().item<bool>());  // x and -x disagree on every hyperplane
}

TEST_CASE("spectral hashing thresholds sinusoids along the longest direction first") {
  // Uniform on a 4 x 1 box: the eigenfunctions cos(k pi u) along the long side (k = 1, 2, 3) have
  // smaller eigenvalues than the first along the short side, which ties with k = 4.
  torch::manual_seed(2);
  const auto u = torch::rand({4000, 2}) * torch::tensor({4.0f, 1.0f});
  auto sh = make_hasher("sh", 2, 3);
  sh->fit(u, {});
  const auto bits = bits_of(*sh, u).to(torch::kBool);
  const auto t = u.select(1, 0) / 4;  // position along the long side, in [0, 1]
  // PCA may flip the direction: each bit must match its partition or the mirror image of it.
  auto matches = [&](const torch::Tensor& bit, const torch::Tensor& expected) {
    const double agree = bit.eq(expected).to(torch::kFloat64).mean().item<double>();
    return std::max(agree, 1 - agree) > 0.99;
  };
  CHECK(matches(bits.select(1, 0), t < 0.5));                                   // k = 1
  CHECK(matches(bits.select(1, 1), (t < 0.25).logical_or(t > 0.75)));           // k = 2
  CHECK(matches(bits.select(1, 2), (t < 1.0 / 6).logical_or((t > 0.5).logical_and(t < 5.0 / 6))));  // k = 3
}

TEST_CASE("SDH separates linearly separable classes that unsupervised hashing cannot see") {
  // Two classes apart along a low-variance direction, under large nuisance variance in the
  // others: PCA-based codes hash the nuisance, supervised codes the class.
  torch::manual_seed(4);
  const int64_t n = 1200;
  const auto labels = torch::randint(0, 2, {n}, torch::kLong);
  auto x = torch::randn({n, 8}) * 4.0;
  x.select(1, 0).copy_(labels.to(torch::kFloat32) * 2.0 - 1.0 + 0.1 * torch::randn({n}));
  const auto multi_hot = torch::nn::functional::one_hot(labels, 2).to(torch::kUInt8);
  const auto train = torch::arange(0, 800), held_out = torch::arange(800, n);

  auto map_of = [&](Hasher& hasher) {
    hasher.fit(x.index_select(0, train), multi_hot.index_select(0, train));
    const auto codes = bits_of(hasher, x);
    return evaluate_retrieval(codes.index_select(0, held_out), multi_hot.index_select(0, held_out),
                              codes.index_select(0, train), multi_hot.index_select(0, train), {})
        .map;
  };
  auto sdh = make_hasher("sdh", 8, 16, {{"anchors", "300"}});
  auto itq = make_hasher("itq", 8, 8);
  const double sdh_map = map_of(*sdh), itq_map = map_of(*itq);
  INFO("SDH MAP " << sdh_map << ", ITQ MAP " << itq_map);
  CHECK(sdh_map > 0.95);
  CHECK(itq_map < 0.75);
}

TEST_CASE("a classic baseline trains as one closed-form fit, and resuming does not refit") {
  Config config = test::synthetic_data_config(8, 4, 4);
  config.set("agent.kind", "itq");
  config.set("train.steps", "50");
  const auto out = test::scratch_dir("itq-run");
  nlohmann::json report;
  {
    Trainer trainer(config, out);
    trainer.train();
    CHECK(trainer.step() == 1);
    report = trainer.evaluate();
  }
  CHECK(report["metrics"]["map"].get<double>() > 0.9);  // well-separated synthetic clusters
  Trainer resumed(config, out);
  resumed.resume();
  resumed.train();
  CHECK(resumed.step() == 1);
  CHECK(resumed.evaluate()["metrics"]["map"].get<double>() == report["metrics"]["map"].get<double>());
}
