#pragma once
// What every reward scored per action group and per episode shares — the code rewards (triplet,
// contrastive, quantization) and the center reward: which codes it reads and the weights of its
// two parts. One options part with one set of [reward] keys (codes, group_weight, global_weight),
// held by each reward's own options as `scoring`.
#include <torch/arg.h>

#include "hashrl/common/choices.h"
#include "hashrl/common/config.h"
#include "hashrl/common/keys.h"
#include "hashrl/rewards/reward.h"

namespace hashrl {

/// Which codes a reward scores.
enum class ScoredCodes {
  kProbs,  ///< the relaxed codes: the reward is differentiable (the pathwise term, eq. 9)
  kBits,   ///< the emitted bits: a pure RL reward, no gradient
  kBoth,   ///< the bits' value with the relaxed codes' gradient: serves score function and pathwise alike
};
inline const Choices<ScoredCodes> kScoredCodes = {
    {"probs", ScoredCodes::kProbs}, {"bits", ScoredCodes::kBits}, {"both", ScoredCodes::kBoth}};

// What a reward scoring `codes` reads; `key` is the config key that chose it ("reward.codes").
RewardReads reads_of(ScoredCodes codes, const std::string& key);

// score(bits), score(probs), or with kBoth the value of score(bits) carrying the gradient of
// score(probs) (a straight-through sum: value.detach() + gradient - gradient.detach()).
template <class Score>
torch::Tensor score_codes(ScoredCodes which, const Codes& codes, Score&& score) {
  if (which == ScoredCodes::kBits) return score(codes.bits);
  if (which == ScoredCodes::kProbs) return score(codes.probs);
  const auto value = score(codes.bits).detach();
  const auto relaxed = score(codes.probs);
  return value + (relaxed - relaxed.detach());
}

struct ScoringOptions {
  static ScoringOptions from_config(const ConfigSection& section);
  /// Throws naming the option when a value is not allowed (code-built options too).
  void validate() const;

  /// Which codes the reward reads: by default both, which serves every built-in learner.
  TORCH_ARG(ScoredCodes, codes) = ScoredCodes::kBoth;
  /// Scale of the per-group reward (0 turns it off).
  TORCH_ARG(double, group_weight) = 1.0;
  /// Scale of the end-of-episode reward.
  TORCH_ARG(double, global_weight) = 1.0;
};

// `own` keys, then codes, group_weight and global_weight: the table of a reward that reads
// ScoringOptions.
KeyTable with_scoring_keys(const KeyTable& own);

}  // namespace hashrl
