#pragma once
// What every reward scored per action group and per episode shares — the code rewards (triplet,
// contrastive, quantization) and the center reward: which codes it reads and the weights of its
// two parts. One options part with one set of [reward] keys (codes, group_weight, global_weight),
// held by each reward's own options as `scoring`.
#include <torch/arg.h>

#include "hashrl/common/choices.h"
#include "hashrl/common/config.h"
#include "hashrl/common/keys.h"

namespace hashrl {

/// Which codes a reward scores.
enum class ScoredCodes {
  kProbs,  ///< the relaxed codes: the reward is differentiable (the pathwise term, eq. 9)
  kBits,   ///< the emitted bits: a pure RL reward, no gradient
};
inline const Choices<ScoredCodes> kScoredCodes = {{"probs", ScoredCodes::kProbs}, {"bits", ScoredCodes::kBits}};

struct ScoringOptions {
  static ScoringOptions from_config(const ConfigSection& section);
  /// Throws naming the option when a value is not allowed (code-built options too).
  void validate() const;

  /// Which codes the reward reads.
  TORCH_ARG(ScoredCodes, codes) = ScoredCodes::kProbs;
  /// Scale of the per-group reward (0 turns it off).
  TORCH_ARG(double, group_weight) = 1.0;
  /// Scale of the end-of-episode reward.
  TORCH_ARG(double, global_weight) = 1.0;
};

// `own` keys, then codes, group_weight and global_weight: the table of a reward that reads
// ScoringOptions.
KeyTable with_scoring_keys(const KeyTable& own);

}  // namespace hashrl
