#pragma once
// hashrl::testing: the conformance checks every component of its kind must pass, one function per
// kind, as OpenSpiel reuses one suite for every game. The built-ins' tests call them, so does
// `hashrl check --config C` (through check_config, train/check_config.h), and so can a user's own
// tests on their own component (link hashrl::testing; examples/custom_agent and custom_reward do).
//
//   auto report = hashrl::check_agent(my_agent, *env);
//   if (!report.ok()) std::cerr << report.summary();
//
// Each returns a CheckReport: the checks passed, and the ones failed with what was wrong. A check
// that throws is reported as failed with the exception's message, not propagated.
#include <cstdint>

#include "hashrl/agents/agent.h"
#include "hashrl/agents/classic/hasher.h"
#include "hashrl/common/config.h"
#include "hashrl/data/dataset.h"
#include "hashrl/env/check_env.h"
#include "hashrl/env/env.h"
#include "hashrl/learners/learner.h"
#include "hashrl/rewards/reward.h"

namespace hashrl {

// check_env (env/check_env.h) checks an Env against its spec.

// An agent in `env` (which it must fit: same spec): actions of the spec's shapes, probabilities in
// [0, 1] and bits in {0, 1}; log_prob the Bernoulli log-likelihood of the bits and entropy that of
// the probabilities; greedy bits deterministic and thresholded at 0.5; sampled bits following the
// probabilities (`draws` draws, within 0.05); an episode run to the end on the agent's own state,
// whose stored actions evaluate() scores as act() did when it drew them.
// A closed-form agent is fitted on the first batch first. Leaves `env` after a finished episode.
CheckReport check_agent(Agent& agent, Env& env, uint64_t seed = 0, int64_t draws = 4000);

// A reward on random codes of `batch` triplets and `bits` bits, with random labels: group and
// global rewards float [B], finite, deterministic; a triplet whose anchor equals its positive and
// is the complement of its negative scores at least as well as the same triplet with positive and
// negative swapped (scored alone, so that a miner keeps it as it is; relational rewards only, see
// Reward::relational); with codes that require grad, a finite gradient.
CheckReport check_reward(const Reward& reward, int64_t batch = 8, int64_t bits = 12, uint64_t seed = 0);

// A learner's update on a buffer of episodes_per_update() sampled rollouts of `agent` in `env`,
// through a context that checks every optimiser step the learner asks for (and moves nothing): a
// finite scalar loss, detached scalar terms, and a backward pass that leaves the agent's
// parameters (and the learner's own) finite gradients, some of them nonzero. Skipped with a note
// for closed-form agents (no learner trains them).
CheckReport check_learner(Learner& learner, Agent& agent, Env& env, uint64_t seed = 0);

// A hasher fitted on `features` [N, D] and `labels` [N, L]: scores [N, q] finite, the same twice,
// and codes that are not all one value per bit on the data it was fitted on (a degenerate bit
// carries nothing); a fit on the same data and seed gives the same scores.
CheckReport check_hasher(Hasher& hasher, const torch::Tensor& features, const torch::Tensor& labels);

// A data set as a reader returned it: validate() holds, at least one item, labels in {0, 1} with
// at least one label per item, images uint8 or features finite float.
CheckReport check_dataset(const Dataset& data);

}  // namespace hashrl
