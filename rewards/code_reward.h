#pragma once
// Base for rewards defined by one score of a triplet's codes, applied alike to an action group
// (group reward) and to the whole code (global reward). It owns the options they all share:
//   codes         = probs | bits   which codes the score reads (bits: a pure RL reward, no gradient)
//   group_weight  = 1              scale of the per-group reward (0 turns it off)
//   global_weight = 1              scale of the end-of-episode reward
//   miner = none | hard | semihard re-pair each anchor within the batch before scoring (triplet_miner.h)
#include "hashrl/rewards/reward.h"
#include "hashrl/rewards/triplet_miner.h"

namespace hashrl {

class CodeReward : public Reward {
 public:
  explicit CodeReward(const ConfigSection& section);

  torch::Tensor group_reward(const RewardInput& input) const override;
  torch::Tensor global_reward(const RewardInput& input) const override;

  // The reward of each triplet for codes [3B, m] -> [B].
  virtual torch::Tensor score(const torch::Tensor& codes) const = 0;

 private:
  // The codes this reward reads, re-paired by the miner if there is one.
  torch::Tensor scored(const Codes& codes, const RewardInput& input) const;

  bool use_bits_;
  double group_weight_, global_weight_;
  std::shared_ptr<const TripletMiner> miner_;
};

}  // namespace hashrl
