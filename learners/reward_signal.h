#pragma once
// What weighs each action group's log-probability in a score-function term, from the per-step
// reward terms of a rollout: one definition for every learner that chooses it by a `signal` key.
#include <torch/types.h>

#include "hashrl/common/choices.h"

namespace hashrl {

/// What weights each group's log-probability in the score-function term.
enum class Signal {
  kGroup,        ///< the group reward Rg_t (the paper)
  kRewardToGo,   ///< the sum of the rewards from step t on, the global one included
  kTotal,        ///< Rg_t, plus R_G on the last step
  kGroupGlobal,  ///< Rg_t + R_G at every step: the global reward credits every group that made the code
};
inline const Choices<Signal> kSignals = {{"group", Signal::kGroup},
                                         {"reward-to-go", Signal::kRewardToGo},
                                         {"total", Signal::kTotal},
                                         {"group+global", Signal::kGroupGlobal}};

// The signal [T, B] of `signal` from the group and global rewards [T, B] (the global one zero
// before the last step), detached.
torch::Tensor reward_signal(Signal signal, const torch::Tensor& group, const torch::Tensor& global);

}  // namespace hashrl
