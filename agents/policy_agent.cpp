#include "hashrl/agents/policy_agent.h"

#include "hashrl/agents/bernoulli.h"

namespace hashrl {

PolicyAgent::PolicyAgent(std::shared_ptr<Policy> policy, PolicyAgentOptions options)
    : policy_(std::move(policy)), options_(std::move(options)) {}

RecurrentState PolicyAgent::initial_state(const Observation& obs) {
  return policy_->initial_state(obs.features);
}

std::pair<AgentStep, RecurrentState> PolicyAgent::act(const Observation& obs, const RecurrentState& state,
                                                      ActMode mode) {
  auto [probs, next] = policy_->forward(obs.features, obs.step, state);
  const auto bits = draw_bits(probs, mode == ActMode::kGreedy);
  AgentStep step{Action{bits, probs}, bernoulli_log_prob(probs, bits), bernoulli_entropy(probs)};
  return {step, next};
}

}  // namespace hashrl
