#pragma once
// check_config: every conformance check that applies to what a config builds, as `hashrl check
// --config C` and hashrl.check_config run it. It lives here, beside the code that builds a run
// from a config, so that hashrl::testing (the per-component checks) need not link the envs.
#include <cstdint>

#include "hashrl/common/config.h"
#include "hashrl/common/check_report.h"

namespace hashrl {

// The data set (check_dataset), the env (check_env, and check_action_dependence when the learner
// uses the score function), the reward (check_reward on a fresh one from [reward]), the agent
// (check_agent) and its learner (check_learner), all merged into one report whose lines say which
// check they came from. A config that cannot be built fails one check with the error.
CheckReport check_config(const Config& config, uint64_t seed = 0);

}  // namespace hashrl
