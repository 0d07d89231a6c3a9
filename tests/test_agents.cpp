// The agent conformance checks (hashrl::testing's check_agent) on every built-in agent.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/agents/agent.h"
#include "hashrl/common/error.h"
#include "hashrl/env/env_registry.h"
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

}  // namespace

TEST_CASE("every agent passes the agent conformance checks") {
  for (const auto& agent_case : kAgents) {
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
