#include "hashrl/agents/policy_agent.h"

#include "hashrl/agents/bernoulli.h"

namespace hashrl {
namespace {

// A policy of `policy_kind` unless [policy] kind names another, on the env's device.
std::shared_ptr<Agent> make_policy_agent(const Config& config, const EnvSpec& spec, const std::string& policy_kind,
                                         PolicyAgentOptions options) {
  const PolicyShape shape{spec.feature_dim, spec.code_length, spec.group_size};
  auto policy = make_policy(ConfigSection(config, "policy"), shape, policy_kind);
  policy->to(spec.device);
  return std::make_shared<PolicyAgent>(policy, options);
}

}  // namespace

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

// The paper's agent and its baselines: one PolicyAgent each, over different policies and learners.
void register_policy_agents(AgentRegistry& registry) {
  registry.add("drlih", [](const Config& c, const EnvSpec& s) { return make_policy_agent(c, s, "rnn", {}); },
               "the paper's RNN policy trained by REINFORCE with action groups");
  registry.add("noseq", [](const Config& c, const EnvSpec& s) {
    return make_policy_agent(c, s, "hashing-layer", PolicyAgentOptions().learner("supervised"));
  }, "Baseline noseq: one hashing layer trained by the triplet loss");
  registry.add("drlih-authors", [](const Config& c, const EnvSpec& s) {
    return make_policy_agent(c, s, "rnn",
                             PolicyAgentOptions().learner("drlih-authors").training_mode(ActMode::kGreedy));
  }, "the DRLIH authors' public variant: greedy bits, their loss weighting");
}

}  // namespace hashrl
