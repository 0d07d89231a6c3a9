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

CodeReward::CodeReward(CodeRewardOptions options, std::string codes_key)
    : options_(std::move(options)), codes_key_(std::move(codes_key)) {
  options_.validate();
  miner_ = make_triplet_miner(options_.miner());
}

CodeReward::CodeReward(const ConfigSection& section)
    : CodeReward(CodeRewardOptions::from_config(section), section.key("codes")) {}

RewardReads CodeReward::reads() const { return reads_of(options_.scoring().codes(), codes_key_); }

torch::Tensor CodeReward::scored(const Codes& codes, const RewardInput& input) const {
  if (miner_ && !input.labels.defined()) fail("a reward with a miner needs the images' labels in RewardInput.labels");
  // With codes = both the miner pairs the bits for the value and the relaxed codes for the gradient.
  return score_codes(options_.scoring().codes(), codes, [&](const torch::Tensor& picked) {
    return score(miner_ ? picked.index_select(0, miner_->rows(picked, input.labels)) : picked);
  });
}

torch::Tensor CodeReward::group_reward(const RewardInput& input) const {
  return options_.scoring().group_weight() * scored(input.group, input);
}

torch::Tensor CodeReward::global_reward(const RewardInput& input) const {
  return options_.scoring().global_weight() * scored(input.emitted, input);
}

}  // namespace hashrl
