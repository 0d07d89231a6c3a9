#pragma once
// The paper's reward (eq. 3-4): R = -max(0, margin + |a - p|^2 - |a - n|^2), squared Euclidean
// distances on the codes. Options: margin (m_t, default 1) and those of CodeReward.
#include "hashrl/rewards/code_reward.h"

namespace hashrl {

class TripletReward : public CodeReward {
 public:
  explicit TripletReward(CodeRewardOptions options = {}, double margin = kDefaultMargin,
                         std::string codes_key = "reward.codes");
  explicit TripletReward(const ConfigSection& section);
  static constexpr double kDefaultMargin = 1.0;
  torch::Tensor score(const torch::Tensor& codes) const override;
  double margin() const { return margin_; }

 private:
  double margin_;
};

// The triplet ranking loss J of eq. 3 for each triplet, [B].
torch::Tensor triplet_loss(const torch::Tensor& codes, double margin);

}  // namespace hashrl
