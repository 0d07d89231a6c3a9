#include "hashrl/agents/agent.h"

#include "hashrl/agents/hasher_agent.h"
#include "hashrl/agents/policy_agent.h"
#include "hashrl/common/error.h"

namespace hashrl {
namespace {

PolicyShape shape_of(const EnvSpec& spec) { return {spec.feature_dim, spec.code_length, spec.group_size}; }

std::shared_ptr<Agent> make_policy_agent(const Config& config, const EnvSpec& spec, const std::string& policy_kind,
                                         PolicyAgentOptions options) {
  const ConfigSection section(config, "policy");
  auto policy = policy_registry().create(section.get_string("kind", policy_kind), section, shape_of(spec));
  policy->to(spec.device);
  return std::make_shared<PolicyAgent>(policy, options);
}

std::shared_ptr<Agent> make_hasher_agent(const Config& config, const EnvSpec& spec, const std::string& hasher) {
  const ConfigSection section(config, "agent");
  return std::make_shared<HasherAgent>(
      hasher_registry().create(hasher, section, HasherShape{spec.feature_dim, spec.code_length}), spec);
}

}  // namespace

void Agent::fit(const torch::Tensor&, const torch::Tensor&) {
  fail("this agent is trained by gradient steps, not fitted in closed form");
}

AgentRegistry& agent_registry() {
  static AgentRegistry registry = [] {
    AgentRegistry r("agent");
    r.add("drlih", [](const Config& c, const EnvSpec& s) { return make_policy_agent(c, s, "rnn", {}); },
          "the paper's RNN policy trained by REINFORCE with action groups");
    r.add("noseq", [](const Config& c, const EnvSpec& s) {
      return make_policy_agent(c, s, "hashing-layer", PolicyAgentOptions().learner("supervised"));
    }, "Baseline noseq: one hashing layer trained by the triplet loss");
    r.add("drlih-authors", [](const Config& c, const EnvSpec& s) {
      return make_policy_agent(c, s, "rnn",
                               PolicyAgentOptions().learner("drlih-authors").training_mode(ActMode::kGreedy));
    }, "the DRLIH authors' public variant: greedy bits, their loss weighting");
    for (const auto& name : hasher_registry().names())
      r.add(name, [name](const Config& c, const EnvSpec& s) { return make_hasher_agent(c, s, name); },
            "classic baseline: " + hasher_registry().summary(name));
    return r;
  }();
  return registry;
}

std::string agent_kind(const Config& config) { return config.get_string("agent.kind", kDefaultAgent); }

std::shared_ptr<Agent> make_agent(const Config& config, const EnvSpec& spec) {
  return agent_registry().create(agent_kind(config), config, spec);
}

}  // namespace hashrl
