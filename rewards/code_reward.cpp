#include "hashrl/rewards/code_reward.h"

#include <fmt/ranges.h>

#include "hashrl/common/error.h"

namespace hashrl {

namespace {

const CodeRewardOptions kDefaults;
KeyTable keys;
const auto kMiner = keys.name_of("miner", kDefaults.miner(), "a triplet miner: none, hard, semihard, or a registered one",
                                 "re-pair each anchor within the batch before scoring (docs/rewards.md)");

}  // namespace

KeyTable with_code_reward_keys(const KeyTable& own) {
  KeyTable t = with_scoring_keys(own);
  t.append(keys);
  return t;
}

CodeRewardOptions CodeRewardOptions::from_config(const ConfigSection& section) {
  auto o = CodeRewardOptions()
               .scoring(ScoringOptions::from_config(section))
               .miner(miner_registry().name_in(kMiner, section));
  o.validate();
  return o;
}

void CodeRewardOptions::validate() const {
  scoring().validate();
  if (!miner_registry().contains(miner()))
    fail("reward option miner: unknown triplet miner '{}'; known: {}", miner(), fmt::join(miner_registry().names(), ", "));
}

CodeReward::CodeReward(CodeRewardOptions options) : options_(std::move(options)) {
  options_.validate();
  miner_ = make_triplet_miner(options_.miner());
}

CodeReward::CodeReward(const ConfigSection& section) : CodeReward(CodeRewardOptions::from_config(section)) {}

torch::Tensor CodeReward::scored(const Codes& codes, const RewardInput& input) const {
  const auto& picked = options_.scoring().codes() == ScoredCodes::kBits ? codes.bits : codes.probs;
  if (!miner_) return picked;
  if (!input.labels.defined()) fail("a reward with a miner needs the images' labels in RewardInput.labels");
  return picked.index_select(0, miner_->rows(picked, input.labels));
}

torch::Tensor CodeReward::group_reward(const RewardInput& input) const {
  return options_.scoring().group_weight() * score(scored(input.group, input));
}

torch::Tensor CodeReward::global_reward(const RewardInput& input) const {
  return options_.scoring().global_weight() * score(scored(input.emitted, input));
}

}  // namespace hashrl
