// The agent conformance checks (hashrl::testing's check_agent) on every built-in agent.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <set>

#include "hashrl/agents/agent.h"
#include "hashrl/agents/bernoulli.h"
#include "hashrl/agents/classic/hasher.h"
#include "hashrl/common/error.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/testing/conformance.h"
#include "support.h"

using namespace hashrl;

namespace {

struct AgentCase {
  std::string name;
  std::vector<std::pair<std::string, std::string>> settings;
};

const std::vector<AgentCase> kAgents = {
    {"drlih (rnn)", {{"agent.kind", "drlih"}}},
    {"drlih (gru)", {{"agent.kind", "drlih"}, {"policy.kind", "gru"}}},
    {"drlih (lstm)", {{"agent.kind", "drlih"}, {"policy.kind", "lstm"}}},
    {"drlih (per-bit head, features init)", {{"policy.head", "per-bit"}, {"policy.init", "features"}}},
    {"ng (k = 1)", {{"env.group_size", "1"}}},
    {"noseq", {{"agent.kind", "noseq"}}},
    {"drlih-authors", {{"agent.kind", "drlih-authors"}, {"policy.init", "features"}, {"policy.first_input", "hidden"}}},
    {"lsh", {{"agent.kind", "lsh"}}},
    {"itq", {{"agent.kind", "itq"}}},
    {"sh", {{"agent.kind", "sh"}}},
    {"sdh", {{"agent.kind", "sdh"}, {"agent.anchors", "16"}}},
};

// Feeds the bits it drew back through its own state, not through the observation. The default
// evaluate() acts again greedily and so feeds back other bits than the stored ones; overridden to
// feed back the stored bits (`teacher_forced`), it scores them exactly.
class FeedbackAgent : public Agent {
 public:
  FeedbackAgent(const EnvSpec& spec, bool teacher_forced)
      : k_(spec.group_size), teacher_forced_(teacher_forced), net_(spec.feature_dim + spec.group_size, spec.group_size) {}

  RecurrentState initial_state(const Observation& obs) override { return {torch::zeros({obs.features.size(0), k_})}; }

  std::pair<AgentStep, RecurrentState> act(const Observation& obs, const RecurrentState& state, ActMode mode) override {
    const auto probs = probs_after(obs, state);
    const auto bits = draw_bits(probs, mode == ActMode::kGreedy);
    return {{{bits, probs}, bernoulli_log_prob(probs, bits), bernoulli_entropy(probs)}, {bits}};
  }

  std::vector<AgentStep> evaluate(const std::vector<Observation>& observations, const std::vector<Action>& actions,
                                  RecurrentState state) override {
    if (!teacher_forced_) return Agent::evaluate(observations, actions, std::move(state));
    std::vector<AgentStep> scored;
    for (size_t t = 0; t < observations.size(); ++t) {
      const auto probs = probs_after(observations[t], state);
      const auto& bits = actions[t].bits;
      scored.push_back({{bits, probs}, bernoulli_log_prob(probs, bits), bernoulli_entropy(probs)});
      state = {bits};
    }
    return scored;
  }

  torch::nn::Module& module() override { return *net_; }

 private:
  torch::Tensor probs_after(const Observation& obs, const RecurrentState& state) {
    return torch::sigmoid(net_->forward(torch::cat({obs.features, 3 * state[0]}, 1)));
  }
  int64_t k_;
  bool teacher_forced_;
  torch::nn::Linear net_;
};

}  // namespace

TEST_CASE("check_agent compares evaluate() with act(): an agent whose state carries its own draws must override it") {
  Config config = test::synthetic_config(12, 4, 8);
  auto env = make_env("HashEnv-v0", config);
  torch::manual_seed(0);
  FeedbackAgent untaught(env->spec(), false);
  const auto failing = check_agent(untaught, *env);
  INFO(failing.summary());
  REQUIRE(failing.failed.size() == 1);
  CHECK(failing.failed[0].find("evaluate() on the stored bits equals act()") != std::string::npos);
  FeedbackAgent taught(env->spec(), true);
  const auto passing = check_agent(taught, *env);
  INFO(passing.summary());
  CHECK(passing.ok());
}

TEST_CASE("every agent passes the agent conformance checks") {
  // kAgents, and every registered agent or hasher it does not name, at its defaults: one added to
  // a registry is checked without an edit here.
  auto cases = kAgents;
  std::set<std::string> named;
  for (const auto& c : kAgents)
    for (const auto& [key, value] : c.settings)
      if (key == "agent.kind") named.insert(value);
  auto registered = agent_registry().names();
  const auto hashers = hasher_registry().names();
  registered.insert(registered.end(), hashers.begin(), hashers.end());
  for (const auto& name : registered)
    if (!named.count(name)) cases.push_back({name, {{"agent.kind", name}}});
  for (const auto& agent_case : cases) {
    INFO(agent_case.name);
    Config config = test::synthetic_config(8, 4, 5);
    for (const auto& [key, value] : agent_case.settings) config.set(key, value);
    auto env = make_env("HashEnv-v0", config);
    auto agent = make_agent(config, env->spec());
    const auto report = check_agent(*agent, *env);
    INFO(report.summary());
    CHECK(report.ok());
    CHECK(report.passed.size() >= 12);
  }
}

TEST_CASE("features of the wrong width are an error naming both widths") {
  Config config = test::synthetic_config();
  auto env = make_env("HashEnv-v0", config);
  auto agent = make_agent(config, env->spec());
  Observation obs{torch::zeros({3, 7}), torch::zeros({3, 8}), 0};
  CHECK_THROWS_WITH(agent->initial_state(obs), Catch::Contains("[N, 16]"));
}

TEST_CASE("an unknown agent or policy lists the known ones") {
  Config config = test::synthetic_config();
  auto env = make_env("HashEnv-v0", config);
  config.set("agent.kind", "dqn");
  CHECK_THROWS_WITH(make_agent(config, env->spec()), Catch::Contains("drlih"));
  config.set("agent.kind", "drlih");
  config.set("policy.kind", "transformer");
  CHECK_THROWS_WITH(make_agent(config, env->spec()), Catch::Contains("gru"));
}
