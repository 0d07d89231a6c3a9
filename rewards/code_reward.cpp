#include "hashrl/rewards/code_reward.h"

#include <fmt/ranges.h>

#include <cmath>

#include "hashrl/common/error.h"

namespace hashrl {

namespace {

const CodeRewardOptions kDefaults;
KeyTable keys;
const auto kCodes = keys.choice("codes", kDefaults.codes(), kScoredCodes,
                                "which codes the score reads: relaxed (differentiable) or the emitted bits");
const auto kGroupWeight = keys.real("group_weight", kDefaults.group_weight(), -1e308, 1e308,
                                    "scale of the per-group reward (0 turns it off)");
const auto kGlobalWeight = keys.real("global_weight", kDefaults.global_weight(), -1e308, 1e308,
                                     "scale of the end-of-episode reward");
const auto kMiner = keys.name_of("miner", kDefaults.miner(), "a triplet miner: none, hard, semihard, or a registered one",
                                 "re-pair each anchor within the batch before scoring (docs/rewards.md)");

}  // namespace

KeyTable with_code_reward_keys(const KeyTable& own) {
  KeyTable t = own;
  t.append(keys);
  return t;
}

CodeRewardOptions CodeRewardOptions::from_config(const ConfigSection& section) {
  auto o = CodeRewardOptions()
               .codes(kCodes(section))
               .group_weight(kGroupWeight(section))
               .global_weight(kGlobalWeight(section))
               .miner(miner_registry().name_in(kMiner, section));
  o.validate();
  return o;
}

void CodeRewardOptions::validate() const {
  choice_name(codes(), kScoredCodes);
  if (!miner_registry().contains(miner()))
    fail("reward option miner: unknown triplet miner '{}'; known: {}", miner(), fmt::join(miner_registry().names(), ", "));
  for (const auto& [name, value] : {std::pair{"group_weight", group_weight()}, std::pair{"global_weight", global_weight()}})
    if (!std::isfinite(value)) fail("reward option {} must be a finite number, got {}", name, value);
}

CodeReward::CodeReward(CodeRewardOptions options) : options_(std::move(options)) {
  options_.validate();
  miner_ = make_triplet_miner(options_.miner());
}

CodeReward::CodeReward(const ConfigSection& section) : CodeReward(CodeRewardOptions::from_config(section)) {}

torch::Tensor CodeReward::scored(const Codes& codes, const RewardInput& input) const {
  const auto& picked = options_.codes() == ScoredCodes::kBits ? codes.bits : codes.probs;
  if (!miner_) return picked;
  if (!input.labels.defined()) fail("a reward with a miner needs the images' labels in RewardInput.labels");
  return picked.index_select(0, miner_->rows(picked, input.labels));
}

torch::Tensor CodeReward::group_reward(const RewardInput& input) const {
  return options_.group_weight() * score(scored(input.group, input));
}

torch::Tensor CodeReward::global_reward(const RewardInput& input) const {
  return options_.global_weight() * score(scored(input.emitted, input));
}

}  // namespace hashrl
