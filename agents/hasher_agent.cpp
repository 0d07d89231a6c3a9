#include "hashrl/agents/hasher_agent.h"

#include <torch/torch.h>

#include "hashrl/agents/bernoulli.h"

namespace hashrl {

HasherAgent::HasherAgent(std::shared_ptr<Hasher> hasher, const EnvSpec& spec)
    : hasher_(std::move(hasher)), group_size_(spec.group_size) {
  hasher_->to(spec.device);
}

std::pair<AgentStep, RecurrentState> HasherAgent::act(const Observation& obs, const RecurrentState& state,
                                                      ActMode) {
  torch::NoGradGuard no_grad;
  const auto scores = hasher_->project(obs.features.detach());
  const auto bits = (scores.slice(1, obs.step * group_size_, (obs.step + 1) * group_size_) > 0)
                        .to(obs.features.scalar_type());
  AgentStep step{Action{bits, bits}, bernoulli_log_prob(bits, bits), bernoulli_entropy(bits)};
  return {step, state};
}

void HasherAgent::fit(const torch::Tensor& features, const torch::Tensor& labels) {
  torch::NoGradGuard no_grad;
  hasher_->fit(features.detach(), labels);
}

}  // namespace hashrl
