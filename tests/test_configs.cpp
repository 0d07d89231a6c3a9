// Every config shipped in configs/ builds (every key known, every value valid) and names what it
// promises.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "hashrl/data/data_source.h"
#include "hashrl/env/check_env.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/policies/drlih_policy.h"
#include "hashrl/train/optimizer.h"
#include "hashrl/train/trainer.h"
#include "paths.h"
#include "support.h"

using namespace hashrl;

namespace {

// A shipped config as the tests build it: on the CPU, and the paper-sized one as a smaller twin
// with the same keys.
Config shipped(const std::filesystem::path& path) {
  Config config = Config::from_file(path.string());
  config.set("env.device", "cpu");
  if (path.stem() == "drlih") {
    config.set("policy.hidden", "64");
    config.set("encoder.image_size", "32");
    config.set("encoder.fc_dim", "64");
    config.set("encoder.width", "0.125");
  }
  return config;
}

std::vector<std::filesystem::path> shipped_configs() {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(paths::kSourceDir) / "configs"))
    if (entry.path().extension() == ".ini") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("every shipped config builds its run", "[fashion]") {
  int count = 0;
  for (const auto& path : shipped_configs()) {
    INFO(path.string());
    const Config config = shipped(path);
    CHECK_NOTHROW(Trainer(config, test::scratch_dir("config-" + path.stem().string())));
    ++count;
  }
  CHECK(count >= 5);
}

TEST_CASE("every shipped config whose learner uses the score function pays a reward that depends on the action",
          "[fashion]") {
  const LoadedData data = load_data(ConfigSection(Config::from_string("[data]\nkind = fashion-mnist\n"), "data"));
  int score_function = 0;
  for (const auto& path : shipped_configs()) {
    INFO(path.string());
    const Config config = shipped(path);
    auto env = make_env(env_kind(config), config, data);
    const auto agent = make_agent(config, env->spec());
    const auto learner = make_learner(ConfigSection(config, "learner"), agent->default_learner(), env->spec());
    if (!learner->reward_use().score_function || agent->fitted_in_closed_form()) continue;
    ++score_function;
    const auto report = check_action_dependence(*env);
    INFO(report.summary());
    CHECK(report.ok());
  }
  CHECK(score_function >= 4);  // drlih, drlih-cpu, ng, a2c, ppo, group-relative
}

TEST_CASE("a2c and ppo as shipped before (a reward of the relaxed codes) are refused, and fail the action check",
          "[fashion]") {
  const LoadedData data = load_data(ConfigSection(Config::from_string("[data]\nkind = fashion-mnist\n"), "data"));
  for (const std::string name : {"a2c", "ppo"}) {
    INFO(name);
    Config config = shipped(std::filesystem::path(paths::kSourceDir) / "configs" / (name + ".ini"));
    // What the configs said until the action-dependence check: the semi-hard triplet reward on probs.
    config.set("reward.kind", "triplet");
    config.set("reward.codes", "probs");
    config.set("reward.miner", "semihard");
    config.set("env.samples_per_state", "1");
    auto env = make_env(env_kind(config), config, data);
    const auto agent = make_agent(config, env->spec());
    CHECK_THROWS_WITH(make_learner(ConfigSection(config, "learner"), agent->default_learner(), env->spec()),
                      Catch::Contains("learner '" + name + "'") && Catch::Contains("reward.codes = probs"));
    const auto report = check_action_dependence(*env);
    CHECK_FALSE(report.ok());
  }
}

// A new component gets the CPU configs' sizes by default (issue 40: the paper's 4,096-wide RNN
// and SGD ran a toy env at 0.2 steps/s), so the paper's sizes live in configs/drlih.ini alone: it
// must name every one of them, or it would quietly train the defaults.
TEST_CASE("the defaults are the CPU configs' sizes and configs/drlih.ini names the paper's") {
  CHECK(DrlihPolicyOptions().hidden() == 256);
  CHECK(OptimizerSettings().kind == "adam");
  CHECK(OptimizerSettings().lr == 1e-4);

  const Config paper = Config::from_file(std::string(paths::kSourceDir) + "/configs/drlih.ini");
  const ConfigSection policy(paper, "policy"), optim(paper, "optim");
  CHECK(policy.get_int("hidden", 0) == 4096);
  CHECK(optim.get_string("kind", "") == "sgd");
  CHECK(optim.get_double("lr", 0) == 1e-3);
  CHECK(optim.get_double("weight_decay", 0) == 5e-4);
  CHECK(optim.get_int("lr_step", 0) == 10000);
  CHECK(optim.get_double("lr_gamma", 0) == 0.1);
}
