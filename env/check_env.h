#pragma once
// check_env: the conformance checks that every environment must pass, reused by the tests of
// every env, reward and agent and by `hashrl check-env --config FILE`.
//
// It checks: observation and action tensors against the spec (shape, dtype, device, values);
// the episode length q/k; `terminated` false until the last step and true on it; rewards [B] of
// the spec's dtype and device, finite, equal to group_reward + global_reward, with a term the spec
// does not declare zero and the global term zero before the last step; the same seed giving the
// same batch and the same rewards for the same actions; and a step after the end being an error.
#include <cstdint>

#include "hashrl/common/check_report.h"
#include "hashrl/env/env.h"

namespace hashrl {

// Runs the checks with random actions drawn from `seed`. The env is left after a finished episode.
CheckReport check_env(Env& env, uint64_t seed = 0);

// What a score-function learner needs of the reward: from one state (reset with the same seed),
// actions with the same probabilities and other bits change the reward of some episode at some
// step, within `draws` draws of other bits. A reward of the relaxed codes alone fails it, whatever
// it declares (EnvSpec::reward_dependence). The env is left after a finished episode.
CheckReport check_action_dependence(Env& env, uint64_t seed = 0, int64_t draws = 4);

}  // namespace hashrl
