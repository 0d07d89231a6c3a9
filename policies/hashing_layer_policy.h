#pragma once
// The paper's Baseline noseq: one fully connected hashing layer from the features to all q bits
// at once, sigmoid(W i + v); each action group reads its k columns. No recurrent state: the bits
// of different groups do not see each other, which is what the baseline is there to show.
#include <torch/nn/modules/linear.h>

#include "hashrl/policies/policy.h"

namespace hashrl {

class HashingLayerPolicy : public Policy {
 public:
  explicit HashingLayerPolicy(PolicyShape shape);

  RecurrentState initial_state(const torch::Tensor& features) override { return {}; }
  std::pair<torch::Tensor, RecurrentState> forward(const torch::Tensor& features, int64_t group,
                                                   const RecurrentState& state) override;

 private:
  torch::nn::Linear layer_{nullptr};
};

}  // namespace hashrl
