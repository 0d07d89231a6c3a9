#include "hashrl/agents/agent.h"

#include "hashrl/agents/bernoulli.h"
#include "hashrl/agents/hasher_agent.h"
#include <fmt/ranges.h>

#include "hashrl/common/error.h"

namespace hashrl {
namespace {

std::shared_ptr<Agent> make_hasher_agent(const Config& config, const EnvSpec& spec, const std::string& hasher) {
  const ConfigSection section(config, "agent");
  return std::make_shared<HasherAgent>(
      hasher_registry().create(hasher, section, HasherShape{spec.feature_dim, spec.code_length}), spec);
}

}  // namespace

std::vector<AgentStep> Agent::evaluate(const std::vector<Observation>& observations, const std::vector<Action>& actions,
                                       RecurrentState state) {
  if (observations.size() != actions.size())
    fail("Agent::evaluate: {} observations but {} actions; give one action per observation", observations.size(),
         actions.size());
  std::vector<AgentStep> scored;
  for (size_t t = 0; t < observations.size(); ++t) {
    // Greedy: the probabilities are the same in either mode, and a greedy act draws nothing from
    // the generator, so scoring leaves the sampling stream where it was.
    auto [step, next] = act(observations[t], state, ActMode::kGreedy);
    const auto& bits = actions[t].bits;
    if (!bits.sizes().equals(step.action.probs.sizes()))
      fail("Agent::evaluate: stored bits of step {} are {} but the agent's probabilities are {}", t, bits.sizes(),
           step.action.probs.sizes());
    const auto& probs = step.action.probs;
    scored.push_back(AgentStep{Action{bits, probs}, bernoulli_log_prob(probs, bits), bernoulli_entropy(probs)});
    state = std::move(next);
  }
  return scored;
}

void Agent::fit(const torch::Tensor&, const torch::Tensor&) {
  fail("this agent is trained by gradient steps, not fitted in closed form");
}

// The built-ins, each registered by a function in its own file (docs/extending.md: why by name).
// The classic hashers are agents too, through hasher_registry() (make_agent).
void register_policy_agents(AgentRegistry& registry);

AgentRegistry& agent_registry() {
  static AgentRegistry registry = [] {
    AgentRegistry r("agent");
    register_policy_agents(r);
    return r;
  }();
  return registry;
}

namespace {
KeyTable shared_keys;
const auto kKind = shared_keys.name_of("kind", kDefaultAgent, "an agent (below)", "who emits the codes");
}  // namespace

const KeyTable& agent_keys() { return shared_keys; }

std::string agent_kind(const Config& config) {
  const ConfigSection section(config, "agent");
  const auto name = kKind(section);
  // Every hasher is an agent too (a HasherAgent), whenever it was registered.
  if (agent_registry().contains(name) || hasher_registry().contains(name)) return name;
  const auto key = section.key(kKind.name());
  fail("config key '{}' (from {}): unknown agent '{}'; known: {}, and the classic hashers {}", key,
       config.origin_of(key), name, fmt::join(agent_registry().names(), ", "),
       fmt::join(hasher_registry().names(), ", "));
}

std::shared_ptr<Agent> make_agent(const Config& config, const EnvSpec& spec) {
  const auto name = agent_kind(config);
  if (!agent_registry().contains(name)) return make_hasher_agent(config, spec, name);
  return agent_registry().create(name, config, spec);
}

}  // namespace hashrl
