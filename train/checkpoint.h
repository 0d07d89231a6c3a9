#pragma once
// Checkpoints hold all that an exact resume needs: the agent's, the env's (the encoder's) and the
// learner's (a critic's) weights, the optimiser's state, the step counter (which fixes the learning-rate
// schedule), the triplet sampler's position and the torch random state. They are written
// atomically (a temporary file, then a rename), so a crash or a kill at any moment leaves the
// last good checkpoint whole.
#include <torch/optim/optimizer.h>

#include <string>

#include "hashrl/agents/agent.h"
#include "hashrl/env/env.h"
#include "hashrl/learners/learner.h"

namespace hashrl {

// Where a run stands: the step counter and the training time spent to reach it (so that a resumed
// run's report counts every segment, not only the last).
struct RunProgress {
  int64_t step = 0;
  double train_seconds = 0;
};

void save_checkpoint(const std::string& path, Agent& agent, const Env& env, Learner& learner,
                     torch::optim::Optimizer& optimizer, RunProgress progress);

// Restores everything save_checkpoint wrote into objects built from the same config; returns
// where the run stood. Throws naming the file when it is missing, truncated or from another model.
RunProgress load_checkpoint(const std::string& path, Agent& agent, Env& env, Learner& learner,
                            torch::optim::Optimizer& optimizer);

// Restores only what encoding needs, the agent's and the env's weights (serving a trained run).
void load_weights(const std::string& path, Agent& agent, Env& env);

// The agent's and the env's weights, buffers included, as bytes (to hand a model to other ranks),
// and back into objects built from the same config.
std::string weights_bytes(Agent& agent, const Env& env);
void load_weights_bytes(const std::string& bytes, Agent& agent, Env& env);

}  // namespace hashrl
