#include "hashrl/rewards/triplet_reward.h"

#include <torch/torch.h>

#include "hashrl/rewards/code_distance.h"

namespace hashrl {

torch::Tensor triplet_loss(const torch::Tensor& codes, double margin) {
  const auto t = split_triplets(codes);
  const auto positive = squared_distance(t.anchor, t.positive);
  const auto negative = squared_distance(t.anchor, t.negative);
  return torch::relu(margin + positive - negative);
}

TripletReward::TripletReward(const ConfigSection& section)
    : CodeReward(section), margin_(section.get_double("margin", 1.0, 0.0)) {}

torch::Tensor TripletReward::score(const torch::Tensor& codes) const { return -triplet_loss(codes, margin_); }

}  // namespace hashrl
