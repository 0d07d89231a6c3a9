#include "hashrl/rewards/code_reward.h"

#include "hashrl/common/error.h"

namespace hashrl {

CodeReward::CodeReward(const ConfigSection& section)
    : use_bits_(section.get_choice("codes", "probs", {"probs", "bits"}) == "bits"),
      group_weight_(section.get_double("group_weight", 1.0)),
      global_weight_(section.get_double("global_weight", 1.0)),
      miner_(make_triplet_miner(section.get_choice("miner", "none", triplet_miner_kinds()))) {}

torch::Tensor CodeReward::scored(const Codes& codes, const RewardInput& input) const {
  const auto& picked = use_bits_ ? codes.bits : codes.probs;
  if (!miner_) return picked;
  if (!input.labels.defined()) fail("a reward with a miner needs the images' labels in RewardInput.labels");
  return picked.index_select(0, miner_->rows(picked, input.labels));
}

torch::Tensor CodeReward::group_reward(const RewardInput& input) const {
  return group_weight_ * score(scored(input.group, input));
}

torch::Tensor CodeReward::global_reward(const RewardInput& input) const {
  return global_weight_ * score(scored(input.emitted, input));
}

}  // namespace hashrl
