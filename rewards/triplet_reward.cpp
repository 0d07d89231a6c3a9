#include "hashrl/rewards/triplet_reward.h"

#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/rewards/code_distance.h"

namespace hashrl {

torch::Tensor triplet_loss(const torch::Tensor& codes, double margin) {
  const auto t = split_triplets(codes);
  const auto positive = squared_distance(t.anchor, t.positive);
  const auto negative = squared_distance(t.anchor, t.negative);
  return torch::relu(margin + positive - negative);
}

namespace {
KeyTable keys;
const auto kMargin = keys.real("margin", TripletReward::kDefaultMargin, 0, 1e308, "m_t of eq. 3");
}  // namespace


TripletReward::TripletReward(CodeRewardOptions options, double margin, std::string codes_key)
    : CodeReward(std::move(options), std::move(codes_key)), margin_(margin) {
  if (!(margin >= 0)) fail("triplet reward option margin must be >= 0, got {}", margin);
}

TripletReward::TripletReward(const ConfigSection& section)
    : TripletReward(CodeRewardOptions::from_config(section), kMargin(section), section.key("codes")) {}

torch::Tensor TripletReward::score(const torch::Tensor& codes) const { return -triplet_loss(codes, margin_); }

void register_triplet_reward(RewardRegistry& registry) {
  // Composed at first use, when every file's key tables are initialised.
  static const KeyTable table = with_code_reward_keys(keys);
  registry.add("triplet", [](const ConfigSection& s) { return std::make_shared<TripletReward>(s); },
               "the paper's triplet ranking reward (eq. 3-4)", &table);
}

}  // namespace hashrl
