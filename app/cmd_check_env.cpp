// hashrl check-env: build the env a config describes and run the conformance checks on it. The
// rest of the config (agent, learner, optimiser, [train], [eval]) is built and checked too, so that
// a config that passes here does not fail at the start of `hashrl train`. When the learner uses the
// score function, check_action_dependence runs too.
#include <iostream>

#include "cli.h"
#include "hashrl/env/check_env.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/train/trainer.h"

namespace hashrl::cli {

int run_check_env(const std::vector<std::string>& args) {
  po::options_description options("hashrl check-env");
  add_config_options(options);
  options.add_options()("seed", po::value<std::string>()->default_value("0"), "seed of the random actions, 0 or more");
  po::variables_map vm;
  if (!parse("check-env", args, options, vm, "--config FILE [--set section.key=value ...]")) return 0;
  const auto seed = static_cast<uint64_t>(int_flag(vm, "seed", 0, INT64_MAX));
  const Config config = config_from(vm);
  RunSettings::from_config(config);  // before the data is loaded: a bad value fails at once
  auto env = make_env(env_kind(config), config);
  const auto agent = make_agent(config, env->spec());
  const auto learner = make_learner(ConfigSection(config, "learner"), agent->default_learner(), env->spec());
  config.check_all_used();
  std::cout << env->spec().describe();
  const auto report = check_env(*env, seed);
  std::cout << report.summary();
  bool ok = report.ok();
  if (learner->reward_use().score_function) {
    const auto dependence = check_action_dependence(*env, seed);
    std::cout << dependence.summary();
    ok = ok && dependence.ok();
  }
  return ok ? 0 : 1;
}

}  // namespace hashrl::cli
