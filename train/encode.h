#pragma once
// Retrieval codes: the greedy bits (eq. 7) that an agent emits for items of a data set, in
// batches, with a progress display. Runs without autograd, with the agent in eval mode.
#include <string>

#include "hashrl/agents/agent.h"
#include "hashrl/data/dataset.h"
#include "hashrl/env/env.h"

namespace hashrl {

// The features [indices.size(0), D] that the env observes for these items, on the env's device
// (what closed-form agents are fitted on).
torch::Tensor encode_features(Env& env, const Dataset& data, const torch::Tensor& indices, int64_t batch_size,
                              const std::string& label);

// The agent's greedy bits (eq. 7) for a batch of observed features [N, D]: float {0, 1} [N, q], on
// the features' device. No autograd; the agent's module must already be in eval mode.
torch::Tensor greedy_codes(Agent& agent, const EnvSpec& spec, const torch::Tensor& features);

// uint8 codes in {0, 1}, [indices.size(0), q], on the CPU.
torch::Tensor encode_codes(Env& env, Agent& agent, const Dataset& data, const torch::Tensor& indices,
                           int64_t batch_size, const std::string& label);

}  // namespace hashrl
