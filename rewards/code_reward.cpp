#include "hashrl/rewards/code_reward.h"

namespace hashrl {

CodeReward::CodeReward(const ConfigSection& section)
    : use_bits_(section.get_choice("codes", "probs", {"probs", "bits"}) == "bits"),
      group_weight_(section.get_double("group_weight", 1.0)),
      global_weight_(section.get_double("global_weight", 1.0)) {}

torch::Tensor CodeReward::group_reward(const RewardInput& input) const {
  return group_weight_ * score(pick(input.group));
}

torch::Tensor CodeReward::global_reward(const RewardInput& input) const {
  return global_weight_ * score(pick(input.emitted));
}

}  // namespace hashrl
