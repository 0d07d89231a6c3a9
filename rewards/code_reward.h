#pragma once
// Base for rewards defined by one score of a triplet's codes, applied alike to an action group
// (group reward) and to the whole code (global reward). It owns the options they all share
// (CodeRewardOptions: ScoringOptions and a miner; their [reward] keys are in docs/config.md).
#include <torch/arg.h>

#include "hashrl/rewards/reward.h"
#include "hashrl/rewards/scoring_options.h"
#include "hashrl/rewards/triplet_miner.h"

namespace hashrl {

struct CodeRewardOptions {
  static CodeRewardOptions from_config(const ConfigSection& section);
  /// Throws naming the option when a value is not allowed (code-built options too).
  void validate() const;

  /// Which codes the score reads, and the weights of the group and global rewards.
  TORCH_ARG(ScoringOptions, scoring);
  /// A name in miner_registry(): re-pairs each anchor within the batch before scoring.
  TORCH_ARG(std::string, miner) = "none";
};

// A code reward's own keys, then those every CodeReward shares (ScoringOptions' codes,
// group_weight and global_weight, then miner): the table its registration lists.
KeyTable with_code_reward_keys(const KeyTable& own);

class CodeReward : public Reward {
 public:
  // `codes_key` names the key that chose options.scoring().codes(), for reads()' setting.
  explicit CodeReward(CodeRewardOptions options, std::string codes_key = "reward.codes");
  // The same with CodeRewardOptions::from_config(section): what a registered reward's factory passes.
  explicit CodeReward(const ConfigSection& section);

  torch::Tensor group_reward(const RewardInput& input) const override;
  torch::Tensor global_reward(const RewardInput& input) const override;
  RewardReads reads() const override;

  // The reward of each triplet for codes [3B, m] -> [B].
  virtual torch::Tensor score(const torch::Tensor& codes) const = 0;

 private:
  // score() of the codes this reward reads, each re-paired by the miner if there is one.
  torch::Tensor scored(const Codes& codes, const RewardInput& input) const;

  CodeRewardOptions options_;
  std::string codes_key_;
  std::shared_ptr<const TripletMiner> miner_;
};

}  // namespace hashrl
