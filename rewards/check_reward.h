#pragma once
// check_reward: the conformance checks every reward must pass, reused by the tests of every
// built-in reward, by `hashrl check` and by a user's tests of their own (examples/custom_reward).
// It lives with the rewards, as check_env with the env interface, so that checking a reward links
// nothing a reward does not.
#include <cstdint>

#include "hashrl/common/check_report.h"
#include "hashrl/rewards/reward.h"

namespace hashrl {

// A reward on random codes of `batch` triplets and `bits` bits, with random labels: group and
// global rewards float [B], finite, deterministic; a triplet whose anchor equals its positive and
// is the complement of its negative scores at least as well as the same triplet with positive and
// negative swapped (scored alone, so that a miner keeps it as it is; relational rewards only, see
// Reward::relational); with codes that require grad, a finite gradient.
CheckReport check_reward(const Reward& reward, int64_t batch = 8, int64_t bits = 12, uint64_t seed = 0);

}  // namespace hashrl
