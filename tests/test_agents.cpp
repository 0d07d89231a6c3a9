// One conformance test that every built-in agent passes (issue 5).
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/agents/agent.h"
#include "hashrl/agents/bernoulli.h"
#include "hashrl/common/error.h"
#include "hashrl/env/env_registry.h"
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
    const auto& spec = env->spec();
    auto [obs, info] = env->reset(0);
    if (agent->fitted_in_closed_form())  // fitted on the batch itself: anchors, positives, negatives
      agent->fit(obs.features, torch::eye(3).repeat_interleave(spec.batch_size, 0));
    auto state = agent->initial_state(obs);
    torch::manual_seed(0);

    // Shapes and ranges.
    auto [step, next] = agent->act(obs, state, ActMode::kSample);
    const int64_t n = spec.num_rows(), k = spec.group_size;
    CHECK(step.action.bits.sizes() == std::vector<int64_t>{n, k});
    CHECK(step.action.probs.sizes() == std::vector<int64_t>{n, k});
    CHECK(step.log_prob.sizes() == std::vector<int64_t>{n});
    CHECK(step.entropy.sizes() == std::vector<int64_t>{n});
    CHECK(step.action.probs.min().item<double>() >= 0.0);
    CHECK(step.action.probs.max().item<double>() <= 1.0);
    CHECK(step.action.bits.eq(0).logical_or(step.action.bits.eq(1)).all().item<bool>());

    // The log-probability is the Bernoulli log-likelihood of the bits.
    // (Clamped as bernoulli.h documents: closed-form agents emit probabilities of exactly 0 and 1.)
    const auto p = step.action.probs.detach().to(torch::kFloat64).clamp(kMinProb, 1 - kMinProb);
    const auto b = step.action.bits.to(torch::kFloat64);
    const auto expected = (b * p.log() + (1 - b) * (1 - p).log()).sum(1);
    CHECK(torch::allclose(step.log_prob.detach().to(torch::kFloat64), expected, 1e-4, 1e-4));

    // Greedy is deterministic and thresholds at 0.5.
    const auto g1 = agent->act(obs, state, ActMode::kGreedy).first.action.bits;
    const auto g2 = agent->act(obs, state, ActMode::kGreedy).first.action.bits;
    CHECK(g1.equal(g2));
    CHECK(g1.equal((step.action.probs.detach() > 0.5).to(torch::kFloat32)));

    // Sampled bits follow the probabilities: the mean of 4000 draws is within 0.05 of p.
    torch::Tensor sum = torch::zeros({n, k});
    for (int i = 0; i < 4000; ++i) sum += agent->act(obs, state, ActMode::kSample).first.action.bits;
    CHECK((sum / 4000 - step.action.probs.detach()).abs().max().item<double>() < 0.05);

    // An episode runs to the end with the agent's own state.
    for (int64_t t = 0; t < spec.num_steps(); ++t) {
      auto [s, ns] = agent->act(obs, state, ActMode::kSample);
      auto result = env->step(s.action);
      obs = result.observation;
      state = ns;
    }
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
