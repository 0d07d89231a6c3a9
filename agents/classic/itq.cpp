// Iterative quantization (Gong & Lazebnik, CVPR 2011): project the centred features onto their
// top q principal directions, V = (x - mean) P, then find the orthogonal rotation R that
// minimises the quantization loss ||B - V R||^2 over binary codes B in {-1, 1}, alternating
//   B = sign(V R)                       (fix R)
//   R = S_hat S^T, where B^T V = S Omega S_hat^T   (fix B: orthogonal Procrustes)
// from a random rotation. With iterations = 0 the rotation is the identity: PCA hashing (PCAH).
#include <torch/torch.h>

#include "hashrl/agents/classic/hasher_options.h"
#include "hashrl/agents/classic/pca.h"
#include "hashrl/common/error.h"

namespace hashrl {
namespace {

class ItqHasher : public Hasher {
 public:
  ItqHasher(const HasherShape& shape, int64_t iterations, uint64_t seed) : iterations_(iterations), seed_(seed) {
    mean_ = register_buffer("mean", torch::zeros({shape.feature_dim}));
    // P R in one matrix: scoring needs only their product.
    projection_ = register_buffer("projection", torch::zeros({shape.feature_dim, shape.code_length}));
  }

  void fit(const torch::Tensor& features, const torch::Tensor&) override {
    const int64_t q = projection_.size(1);
    const auto pca = fit_pca(features, q);
    const auto v = ((features - pca.mean).mm(pca.components)).to(torch::kFloat64);
    auto rotation = torch::eye(q, torch::kFloat64);
    if (iterations_ > 0) {
      auto generator = seeded_generator(seed_);
      rotation = std::get<0>(torch::linalg_qr(torch::randn({q, q}, generator, torch::kFloat64)));
    }
    for (int64_t i = 0; i < iterations_; ++i) {
      const auto b = signs(v.mm(rotation));
      const auto svd = torch::linalg_svd(b.t().mm(v), /*full_matrices=*/false);
      rotation = std::get<2>(svd).t().mm(std::get<0>(svd).t());
    }
    mean_.copy_(pca.mean);
    projection_.copy_(pca.components.to(torch::kFloat64).mm(rotation));
  }

  torch::Tensor project(const torch::Tensor& features) override { return (features - mean_).mm(projection_); }

 private:
  int64_t iterations_;
  uint64_t seed_;
  torch::Tensor mean_, projection_;
};

}  // namespace

namespace {
KeyTable key_table;
const auto kIterations =
    key_table.integer("iterations", ItqOptions().iterations(), 0, 100000, "rotation updates (0: PCA hashing, no rotation)");
const auto kSeed = key_table.integer("seed", 0, 0, INT64_MAX, "seed of the initial rotation");
}  // namespace

const KeyTable& ItqOptions::keys() { return key_table; }

ItqOptions ItqOptions::from_config(const ConfigSection& section) {
  return ItqOptions().iterations(kIterations(section)).seed(static_cast<uint64_t>(kSeed(section)));
}

void ItqOptions::validate() const {
  if (iterations() < 0 || iterations() > 100000)
    fail("itq option iterations must be 0 to 100000, got {}", iterations());
}

std::shared_ptr<Hasher> make_itq_hasher(const HasherShape& shape, const ItqOptions& options) {
  options.validate();
  return std::make_shared<ItqHasher>(shape, options.iterations(), options.seed());
}

void register_itq(HasherRegistry& registry) {
  registry.add("itq", [](const ConfigSection& s, const HasherShape& shape) {
    return make_itq_hasher(shape, ItqOptions::from_config(s));
  }, "iterative quantization: PCA + the rotation with the least quantization loss", &ItqOptions::keys());
}

}  // namespace hashrl
