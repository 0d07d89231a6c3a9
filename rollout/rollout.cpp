#include "hashrl/rollout/rollout.h"

#include <torch/torch.h>

namespace hashrl {

torch::Tensor Trajectory::total_reward() const { return torch::stack(rewards).sum(0); }

Trajectory rollout(Env& env, Agent& agent, ActMode mode, std::optional<uint64_t> seed) {
  const EnvSpec& spec = env.spec();
  auto [obs, info] = env.reset(seed);
  Trajectory trajectory;
  trajectory.batch_size = spec.batch_size;
  trajectory.rows_per_episode = spec.rows_per_episode;
  trajectory.features = obs.features;
  trajectory.inputs = env.encoder_inputs();
  auto state = agent.initial_state(obs);
  std::vector<torch::Tensor> probs;
  for (int64_t t = 0; t < spec.num_steps(); ++t) {
    auto [step, next] = agent.act(obs, state, mode);
    auto result = env.step(step.action);
    trajectory.observations.push_back(obs);
    probs.push_back(step.action.probs);
    trajectory.steps.push_back(std::move(step));
    trajectory.rewards.push_back(result.reward);
    trajectory.group_rewards.push_back(result.group_reward);
    trajectory.global_rewards.push_back(result.global_reward);
    obs = std::move(result.observation);
    state = std::move(next);
  }
  trajectory.bits = obs.bits;
  trajectory.probs = torch::cat(probs, 1);
  return trajectory;
}

}  // namespace hashrl
