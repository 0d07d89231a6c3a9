#include "hashrl/policies/hashing_layer_policy.h"

#include <torch/torch.h>

namespace hashrl {

HashingLayerPolicy::HashingLayerPolicy(PolicyShape shape) : Policy(shape) {
  layer_ = register_module("layer", torch::nn::Linear(shape.feature_dim, shape.code_length));
}

std::pair<torch::Tensor, RecurrentState> HashingLayerPolicy::forward(const torch::Tensor& features, int64_t group,
                                                                     const RecurrentState& state) {
  check_features(features);
  const int64_t k = shape().group_size;
  // Only this group's rows of W: the other groups' columns are not computed.
  const auto w = layer_->weight.narrow(0, group * k, k);
  const auto b = layer_->bias.narrow(0, group * k, k);
  return {torch::sigmoid(torch::addmm(b, features, w.t())), {}};
}

void register_hashing_layer_policy(PolicyRegistry& registry) {
  registry.add("hashing-layer", [](const ConfigSection&, const PolicyShape& shape) -> std::shared_ptr<Policy> {
    return std::make_shared<HashingLayerPolicy>(shape);
  }, "one fully connected layer from features to all q bits (Baseline noseq)");
}

}  // namespace hashrl
