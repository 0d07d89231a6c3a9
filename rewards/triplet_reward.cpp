#include "hashrl/rewards/triplet_reward.h"

#include <torch/torch.h>

namespace hashrl {

torch::Tensor triplet_loss(const torch::Tensor& codes, double margin) {
  const auto t = split_triplets(codes);
  const auto positive = (t.anchor - t.positive).pow(2).sum(1);
  const auto negative = (t.anchor - t.negative).pow(2).sum(1);
  return torch::relu(margin + positive - negative);
}

TripletReward::TripletReward(const ConfigSection& section)
    : CodeReward(section), margin_(section.get_double("margin", 1.0, 0.0)) {}

torch::Tensor TripletReward::score(const torch::Tensor& codes) const { return -triplet_loss(codes, margin_); }

}  // namespace hashrl
