#include "hashrl/rewards/scoring_options.h"

#include <cmath>

#include "hashrl/common/error.h"

namespace hashrl {
namespace {

const ScoringOptions kDefaults;
KeyTable keys;
const auto kCodes = keys.choice("codes", kDefaults.codes(), kScoredCodes,
                                "which codes the reward reads: the relaxed codes (differentiable, the same whatever bits are "
                                "sampled), the emitted bits (changes with the action: what score-function learners "
                                "need), or both (the bits' value with the relaxed codes' gradient)");
const auto kGroupWeight = keys.real("group_weight", kDefaults.group_weight(), -1e308, 1e308,
                                    "scale of the per-group reward (0 turns it off)");
const auto kGlobalWeight = keys.real("global_weight", kDefaults.global_weight(), -1e308, 1e308,
                                     "scale of the end-of-episode reward");

}  // namespace

KeyTable with_scoring_keys(const KeyTable& own) {
  KeyTable t = own;
  t.append(keys);
  return t;
}

RewardReads reads_of(ScoredCodes codes, const std::string& key) {
  RewardReads reads;
  reads.bits = codes != ScoredCodes::kProbs;
  reads.probs = codes != ScoredCodes::kBits;
  reads.setting = key + " = " + choice_name(codes, kScoredCodes);
  return reads;
}

ScoringOptions ScoringOptions::from_config(const ConfigSection& section) {
  auto o = ScoringOptions()
               .codes(kCodes(section))
               .group_weight(kGroupWeight(section))
               .global_weight(kGlobalWeight(section));
  o.validate();
  return o;
}

void ScoringOptions::validate() const {
  choice_name(codes(), kScoredCodes);
  for (const auto& [name, value] : {std::pair{"group_weight", group_weight()}, std::pair{"global_weight", global_weight()}})
    if (!std::isfinite(value)) fail("reward option {} must be a finite number, got {}", name, value);
}

}  // namespace hashrl
