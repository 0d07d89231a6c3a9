// Supervised discrete hashing (Shen, Shen, Liu & Shen, CVPR 2015). Features are mapped through m
// RBF anchors, phi(x)_a = exp(-||x - anchor_a||^2 / (2 sigma)), centred (sigma = the mean squared
// distance to the anchors, anchors drawn from the training items). The codes B in {-1, 1}^{N x q}
// are learned to be good for linear classification of the labels Y while a linear hash function
// F(x) = phi(x) P follows them:
//   min ||Y - B W||^2 + lambda ||W||^2 + nu ||B - phi P||^2
// by alternating
//   G-step  W = (B^T B + lambda I)^-1 B^T Y
//   F-step  P = (phi^T phi + delta I)^-1 phi^T B
//   B-step  discrete cyclic coordinate descent, one bit column at a time, with Q = Y W^T + nu phi P:
//           B_l = sign(Q_l - B_{-l} W_{-l} w_l^T)
// New items are hashed by sign(phi(x) P).
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "hashrl/agents/classic/hasher_options.h"
#include "hashrl/agents/classic/pca.h"
#include "hashrl/common/error.h"

namespace hashrl {
namespace {

class SdhHasher : public Hasher {
 public:
  SdhHasher(const HasherShape& shape, SdhOptions options) : options_(options) {
    anchors_ = register_buffer("anchors", torch::zeros({options.anchors(), shape.feature_dim}));
    sigma_ = register_buffer("sigma", torch::ones({}));
    kernel_mean_ = register_buffer("kernel_mean", torch::zeros({options.anchors()}));
    projection_ = register_buffer("projection", torch::zeros({options.anchors(), shape.code_length}));
  }

  void fit(const torch::Tensor& features, const torch::Tensor& labels) override {
    const int64_t n = features.size(0), q = projection_.size(1);
    const int64_t m = std::min(options_.anchors(), n);  // never more anchors than training items
    auto generator = seeded_generator(options_.seed());
    const auto picked = torch::randperm(n, generator, torch::kLong).slice(0, 0, m).to(features.device());
    anchors_.resize_({m, features.size(1)}).copy_(features.index_select(0, picked));
    const auto distances = squared_distances(features);
    sigma_.fill_(distances.mean().item<double>());
    auto kernel = torch::exp(-distances / (2 * sigma_));
    kernel_mean_.resize_({m}).copy_(kernel.mean(0));
    const auto phi = (kernel - kernel_mean_).to(torch::kFloat64);

    const auto y = labels.to(phi.options());
    auto b = signs(torch::randn({n, q}, generator, torch::kFloat64).to(phi.device()));
    const auto gram = phi.t().mm(phi) + options_.delta() * torch::eye(m, phi.options());
    torch::Tensor p;
    for (int64_t it = 0; it < options_.iterations(); ++it) {
      const auto w = torch::linalg_solve(b.t().mm(b) + options_.lambda() * torch::eye(q, phi.options()), b.t().mm(y));
      p = torch::linalg_solve(gram, phi.t().mm(b));
      const auto target = y.mm(w.t()) + options_.nu() * phi.mm(p);
      const auto ww = w.mm(w.t());
      for (int64_t sweep = 0; sweep < options_.bit_sweeps(); ++sweep)
        for (int64_t l = 0; l < q; ++l) {
          // The other bits' contribution to reconstructing Y through row l of W.
          const auto others = b.mv(ww.select(1, l)) - b.select(1, l) * ww[l][l];
          b.select(1, l).copy_(signs(target.select(1, l) - others));
        }
    }
    p = torch::linalg_solve(gram, phi.t().mm(b));
    projection_.resize_({m, q}).copy_(p);
  }

  torch::Tensor project(const torch::Tensor& features) override {
    const auto kernel = torch::exp(-squared_distances(features) / (2 * sigma_));
    return (kernel - kernel_mean_).mm(projection_);
  }

 private:
  torch::Tensor squared_distances(const torch::Tensor& x) const {
    const auto cross = x.mm(anchors_.t());
    return (x.pow(2).sum(1, true) + anchors_.pow(2).sum(1) - 2 * cross).clamp_min(0);
  }

  SdhOptions options_;
  torch::Tensor anchors_, sigma_, kernel_mean_, projection_;
};

}  // namespace

namespace {
const SdhOptions kDefaults;
KeyTable key_table;
const auto kAnchors = key_table.integer("anchors", kDefaults.anchors(), 1, 1000000,
                                   "RBF anchors drawn from the training items (at most their number)");
const auto kIterations = key_table.integer("iterations", kDefaults.iterations(), 1, 100000, "outer G/F/B rounds");
const auto kBitSweeps = key_table.integer("bit_sweeps", kDefaults.bit_sweeps(), 1, 100000,
                                     "sweeps of the discrete cyclic coordinate descent over the bits per round");
const auto kLambda = key_table.real("lambda", kDefaults.lambda(), 0, 1e308, "ridge weight on the classifier W");
const auto kNu = key_table.real("nu", kDefaults.nu(), 0, 1e308, "weight of the hash-function fit ‖B − φ(X)P‖²");
const auto kSeed = key_table.integer("seed", 0, 0, INT64_MAX, "seed of the anchors' draw");
}  // namespace

const KeyTable& SdhOptions::keys() { return key_table; }

SdhOptions SdhOptions::from_config(const ConfigSection& section) {
  return SdhOptions()
      .anchors(kAnchors(section))
      .iterations(kIterations(section))
      .bit_sweeps(kBitSweeps(section))
      .lambda(kLambda(section))
      .nu(kNu(section))
      .seed(static_cast<uint64_t>(kSeed(section)));
}

void SdhOptions::validate() const {
  for (const auto& [name, value, max] : {std::tuple{"anchors", anchors(), 1000000}, std::tuple{"iterations", iterations(), 100000},
                                         std::tuple{"bit_sweeps", bit_sweeps(), 100000}})
    if (value < 1 || value > max) fail("sdh option {} must be 1 to {}, got {}", name, max, value);
  for (const auto& [name, value] : {std::pair{"lambda", lambda()}, std::pair{"nu", nu()}})
    if (!(std::isfinite(value) && value >= 0)) fail("sdh option {} must be a finite number >= 0, got {}", name, value);
  if (!(std::isfinite(delta()) && delta() > 0)) fail("sdh option delta must be a finite number > 0, got {}", delta());
}

std::shared_ptr<Hasher> make_sdh_hasher(const HasherShape& shape, const SdhOptions& options) {
  options.validate();
  return std::make_shared<SdhHasher>(shape, options);
}

void register_sdh(HasherRegistry& registry) {
  registry.add("sdh", [](const ConfigSection& s, const HasherShape& shape) {
    return make_sdh_hasher(shape, SdhOptions::from_config(s));
  }, "supervised discrete hashing on RBF-anchor features", &SdhOptions::keys());
}

}  // namespace hashrl
