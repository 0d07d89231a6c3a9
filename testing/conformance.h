#pragma once
// hashrl::testing: the conformance checks every agent, learner and hasher must pass, one function
// per kind, as OpenSpiel reuses one suite for every game. The built-ins' tests call them, so does
// `hashrl check --config C` (check_config, train/check_config.h), and so can a user's own tests on
// their own component (link hashrl::testing; examples/custom_agent does). The checks of the other
// kinds live in their own layers, so that none links more than what it checks: check_env
// (env/check_env.h), check_reward (rewards/check_reward.h), check_dataset (data/check_dataset.h).
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
#include "hashrl/env/check_env.h"
#include "hashrl/env/env.h"
#include "hashrl/learners/learner.h"

namespace hashrl {

// An agent in `env` (which it must fit: same spec): actions of the spec's shapes, probabilities in
// [0, 1] and bits in {0, 1}; log_prob the Bernoulli log-likelihood of the bits and entropy that of
// the probabilities; greedy bits deterministic and thresholded at 0.5; sampled bits following the
// probabilities (`draws` draws, within 0.05); an episode run to the end on the agent's own state,
// whose stored actions evaluate() scores as act() did when it drew them.
// A closed-form agent is fitted on the first batch first. Leaves `env` after a finished episode.
CheckReport check_agent(Agent& agent, Env& env, uint64_t seed = 0, int64_t draws = 4000);

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

}  // namespace hashrl
