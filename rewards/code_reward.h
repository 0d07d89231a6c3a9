#pragma once
// Base for rewards defined by one score of a triplet's codes, applied alike to an action group
// (group reward) and to the whole code (global reward). It owns the options they all share
// (CodeRewardOptions; their [reward] keys are in docs/config.md).
#include <torch/arg.h>

#include "hashrl/common/choices.h"
#include "hashrl/rewards/reward.h"
#include "hashrl/rewards/triplet_miner.h"

namespace hashrl {

/// Which codes a reward scores.
enum class ScoredCodes {
  kProbs,  ///< the relaxed codes: the reward is differentiable (the pathwise term, eq. 9)
  kBits,   ///< the emitted bits: a pure RL reward, no gradient
};
inline const Choices<ScoredCodes> kScoredCodes = {{"probs", ScoredCodes::kProbs}, {"bits", ScoredCodes::kBits}};

struct CodeRewardOptions {
  static CodeRewardOptions from_config(const ConfigSection& section);
  /// Throws naming the option when a value is not allowed (code-built options too).
  void validate() const;

  /// Which codes the score reads.
  TORCH_ARG(ScoredCodes, codes) = ScoredCodes::kProbs;
  /// Scale of the per-group reward (0 turns it off).
  TORCH_ARG(double, group_weight) = 1.0;
  /// Scale of the end-of-episode reward.
  TORCH_ARG(double, global_weight) = 1.0;
  /// A name in miner_registry(): re-pairs each anchor within the batch before scoring.
  TORCH_ARG(std::string, miner) = "none";
};

// A code reward's own keys, then those every CodeReward shares (codes, group_weight,
// global_weight, miner): the table its registration lists.
KeyTable with_code_reward_keys(const KeyTable& own);

class CodeReward : public Reward {
 public:
  explicit CodeReward(CodeRewardOptions options);
  // The same with CodeRewardOptions::from_config(section): what a registered reward's factory passes.
  explicit CodeReward(const ConfigSection& section);

  torch::Tensor group_reward(const RewardInput& input) const override;
  torch::Tensor global_reward(const RewardInput& input) const override;

  // The reward of each triplet for codes [3B, m] -> [B].
  virtual torch::Tensor score(const torch::Tensor& codes) const = 0;

 private:
  // The codes this reward reads, re-paired by the miner if there is one.
  torch::Tensor scored(const Codes& codes, const RewardInput& input) const;

  CodeRewardOptions options_;
  std::shared_ptr<const TripletMiner> miner_;
};

}  // namespace hashrl
