// Locality-sensitive hashing by random hyperplanes (Charikar 2002): bit j = [w_j . (x - mean) > 0]
// with w_j ~ N(0, I). Centring on the training mean keeps the bits balanced; nothing else is fitted.
#include <torch/torch.h>

#include "hashrl/agents/classic/hasher_options.h"
#include "hashrl/agents/classic/pca.h"

namespace hashrl {
namespace {

class LshHasher : public Hasher {
 public:
  LshHasher(const HasherShape& shape, uint64_t seed) : seed_(seed) {
    mean_ = register_buffer("mean", torch::zeros({shape.feature_dim}));
    planes_ = register_buffer("planes", torch::zeros({shape.feature_dim, shape.code_length}));
  }

  void fit(const torch::Tensor& features, const torch::Tensor&) override {
    auto generator = seeded_generator(seed_);
    mean_.copy_(features.mean(0));
    planes_.copy_(torch::randn(planes_.sizes(), generator, torch::kFloat32));
  }

  torch::Tensor project(const torch::Tensor& features) override { return (features - mean_).mm(planes_); }

 private:
  uint64_t seed_;
  torch::Tensor mean_, planes_;
};

}  // namespace

namespace {
KeyTable key_table;
const auto kSeed = key_table.integer("seed", 0, 0, INT64_MAX, "seed of the random planes");
}  // namespace

const KeyTable& LshOptions::keys() { return key_table; }

LshOptions LshOptions::from_config(const ConfigSection& section) {
  return LshOptions().seed(static_cast<uint64_t>(kSeed(section)));
}

std::shared_ptr<Hasher> make_lsh_hasher(const HasherShape& shape, const LshOptions& options) {
  options.validate();
  return std::make_shared<LshHasher>(shape, options.seed());
}

void register_lsh(HasherRegistry& registry) {
  registry.add("lsh", [](const ConfigSection& s, const HasherShape& shape) {
    return make_lsh_hasher(shape, LshOptions::from_config(s));
  }, "random projections of the centred features", &LshOptions::keys());
}

}  // namespace hashrl
