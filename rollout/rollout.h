#pragma once
// A generic batched rollout: any Agent in any Env for one episode. Nothing here knows DRLIH.
// It runs on whatever device the env and the agent live on, with no host round trips inside the
// episode (its length comes from the spec, not from reading `terminated`).
#include <optional>
#include <vector>

#include "hashrl/agents/agent.h"
#include "hashrl/env/env.h"

namespace hashrl {

struct Trajectory {
  int64_t batch_size = 0;            // B episodes (EnvSpec::batch_size)
  int64_t rows_per_episode = 1;      // rows r * B + i belong to episode i (EnvSpec)
  torch::Tensor features;            // the observed features [rows, D] (what a critic reads)
  std::vector<Observation> observations;  // what each step acted on (Agent::evaluate rescores them)
  std::vector<AgentStep> steps;      // one per action group: actions, log-probs [rows], entropies [rows]
  // [B] each, one per step: the reward and its two typed terms (StepResult)
  std::vector<torch::Tensor> rewards, group_rewards, global_rewards;
  torch::Tensor bits;                // the final codes [rows, q]
  torch::Tensor probs;               // the relaxed codes [rows, q], with autograd history
  torch::Tensor inputs;              // env.encoder_inputs() of the episode; undefined when it has none

  // Sum over steps of the per-triplet reward, [B].
  torch::Tensor total_reward() const;
};

Trajectory rollout(Env& env, Agent& agent, ActMode mode, std::optional<uint64_t> seed = std::nullopt);

}  // namespace hashrl
