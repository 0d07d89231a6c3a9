// hashrl::testing on the built-in rewards, learners, hashers and data sets (the agents' are in
// test_agents.cpp, the env's in test_env.cpp), and each check shown to fail on a broken component.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <map>
#include <set>

#include "hashrl/agents/classic/hasher.h"
#include "hashrl/common/files.h"
#include "hashrl/data/check_dataset.h"
#include "hashrl/data/data_source.h"
#include "hashrl/data/readers.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/rewards/check_reward.h"
#include "hashrl/rewards/code_reward.h"
#include "hashrl/testing/conformance.h"
#include "support.h"

using namespace hashrl;

namespace {

std::string describe(const CheckReport& report) { return report.summary(); }

// A reward that prefers the wrong triplets: check_reward must catch it.
class BackwardsReward : public CodeReward {
 public:
  using CodeReward::CodeReward;
  torch::Tensor score(const torch::Tensor& codes) const override {
    const auto t = split_triplets(codes);
    return (t.anchor - t.positive).pow(2).sum(1) - (t.anchor - t.negative).pow(2).sum(1);
  }
};

// A hasher with a constant bit and scores that change on every call.
class BrokenHasher : public Hasher {
 public:
  void fit(const torch::Tensor&, const torch::Tensor&) override {}
  torch::Tensor project(const torch::Tensor& features) override {
    auto scores = torch::randn({features.size(0), 4});
    scores.select(1, 0).fill_(1);
    return scores;
  }
};

}  // namespace

TEST_CASE("every built-in reward passes check_reward, with and without miners") {
  const std::vector<std::string> configs = {
      "kind = triplet",        "kind = triplet\ncodes = bits", "kind = triplet\nminer = hard",
      "kind = triplet\nminer = semihard", "kind = contrastive", "kind = quantization",
      "kind = sum\nterms = triplet, quantization\n[reward.quantization]\nweight = 0.1", "kind = center",
      "kind = center\ncodes = bits", "kind = sum\nterms = triplet, center"};
  for (const auto& text : configs) {
    INFO(text);
    const auto config = Config::from_string("[reward]\n" + text + "\n");
    const auto reward = make_reward(ConfigSection(config, "reward"));
    const auto report = check_reward(*reward);
    INFO(describe(report));
    CHECK(report.ok());
    // Type, finite and deterministic, twice; a relational reward adds the ranking check twice.
    CHECK(report.passed.size() >= (reward->relational() ? 8u : 6u));
  }
  // Every registered reward at its defaults (with what one needs beyond its name): one added to the
  // registry is checked without an edit here.
  const std::map<std::string, std::string> needs = {{"sum", "terms = triplet, quantization\n"}};
  for (const auto& name : reward_registry().names()) {
    INFO(name);
    const auto config =
        Config::from_string("[reward]\nkind = " + name + "\n" + (needs.count(name) ? needs.at(name) : ""));
    const auto report = check_reward(*make_reward(ConfigSection(config, "reward")));
    INFO(describe(report));
    CHECK(report.ok());
  }
  const Config none;
  const BackwardsReward backwards{ConfigSection(none, "reward")};
  CHECK_FALSE(check_reward(backwards).ok());
}

TEST_CASE("every registered learner passes check_learner") {
  using Settings = std::vector<std::pair<std::string, std::string>>;
  // What a learner needs beyond its name: the agent it is the default learner of, or the env's
  // samples per state. A learner not listed is checked at its defaults.
  const std::map<std::string, Settings> needs = {
      {"supervised", {{"agent.kind", "noseq"}}},
      {"drlih-authors", {{"agent.kind", "drlih-authors"}, {"policy.init", "features"}, {"policy.first_input", "hidden"}}},
      {"group-relative", {{"learner.kind", "group-relative"}, {"env.samples_per_state", "2"}, {"reward.codes", "bits"}}},
  };
  std::vector<Settings> cases;
  for (const auto& name : learner_registry().names())
    cases.push_back(needs.count(name) ? needs.at(name) : Settings{{"learner.kind", name}});
  // And the variants whose options change what the learner computes.
  const std::vector<Settings> variants = {
      {{"learner.kind", "reinforce"}, {"learner.baseline", "critic"}, {"learner.signal", "reward-to-go"}},
      {{"learner.kind", "reinforce"}, {"learner.pathwise", "all"}, {"learner.normalize", "true"}},
      {{"learner.kind", "ppo"}, {"learner.rollouts", "2"}, {"learner.epochs", "2"}, {"learner.minibatches", "2"}},
      {{"learner.kind", "ppo"}, {"learner.value_clip", "0"}, {"learner.normalize_advantages", "false"}},
      {{"learner.kind", "ppo"}, {"learner.advantage", "normalized"}, {"env.samples_per_state", "2"},
       {"reward.codes", "bits"}},
      {{"learner.kind", "a2c"}, {"learner.lambda", "1"}},
      {{"learner.kind", "group-relative"}, {"env.samples_per_state", "3"}, {"learner.advantage", "normalized"},
       {"learner.signal", "reward-to-go"}},
  };
  cases.insert(cases.end(), variants.begin(), variants.end());
  std::set<std::string> checked;
  for (const auto& settings : cases) {
    Config config = test::synthetic_config(8, 4, 5);
    for (const auto& [key, value] : settings) config.set(key, value);
    INFO(config.to_ini());
    auto env = make_env("HashEnv-v0", config);
    auto agent = make_agent(config, env->spec());
    auto learner = make_learner(ConfigSection(config, "learner"), agent->default_learner(), env->spec());
    checked.insert(config.get_string("learner.kind", agent->default_learner()));
    const auto report = check_learner(*learner, *agent, *env);
    INFO(describe(report));
    CHECK(report.ok());
    CHECK(report.passed.size() >= 4);
  }
  const auto names = learner_registry().names();
  CHECK(checked == std::set<std::string>(names.begin(), names.end()));  // each under its own name
}

TEST_CASE("every classic hasher passes check_hasher, and a broken one fails it") {
  const auto data = make_synthetic(4, 50, 16, 0.5, 3);
  const Config config = Config::from_string("[agent]\nanchors = 32\n");
  for (const auto& name : hasher_registry().names()) {
    INFO(name);
    auto hasher = hasher_registry().create(name, ConfigSection(config, "agent"), HasherShape{16, 8});
    const auto report = check_hasher(*hasher, data.features, data.labels);
    INFO(describe(report));
    CHECK(report.ok());
  }
  BrokenHasher broken;
  const auto report = check_hasher(broken, data.features, data.labels);
  CHECK(report.failed.size() >= 2);  // not the same twice; a constant bit
}

TEST_CASE("the built-in data sets pass check_dataset, and a data set without labels fails it") {
  CHECK(check_dataset(make_synthetic(3, 10, 4, 0.5, 0)).ok());
  const auto config = Config::from_string("[data]\nkind = synthetic\nqueries_per_label = 10\ntrain_per_label = 50\n");
  CHECK(check_dataset(load_data(ConfigSection(config, "data")).data).ok());
  auto unlabelled = make_synthetic(3, 10, 4, 0.5, 0);
  unlabelled.labels.select(0, 0).zero_();
  const auto report = check_dataset(unlabelled);
  CHECK_FALSE(report.ok());
  CHECK_THAT(report.summary(), Catch::Contains("1 items have none"));
}

TEST_CASE("hashrl check runs every check that applies to a config, and exits 1 on a failure") {
  const std::string dir = test::scratch_dir("cli-check");
  const std::string path = dir + "/run.ini";
  write_file_atomic(path, test::synthetic_config().to_ini());
  const auto [status, out] = test::run_hashrl("check --config " + path);
  INFO(out);
  CHECK(status == 0);
  CHECK_THAT(out, Catch::Contains("check_config:") && Catch::Contains("0 failed"));
  const auto verbose = test::run_hashrl("check --verbose --config " + path).second;
  for (const char* part : {"data: ", "env: ", "reward: ", "agent: ", "learner: "})
    CHECK(verbose.find(std::string("ok ") + part) != std::string::npos);
  // A config that does not build fails the check that builds it, naming the key: exit 1.
  const auto bad = test::run_hashrl("check --config " + path + " --set reward.kind=nothing");
  CHECK(bad.first != 0);
  CHECK_THAT(bad.second, Catch::Contains("reward.kind"));
}
