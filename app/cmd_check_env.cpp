// hashrl check-env: build the env a config describes and run the conformance checks on it.
#include <iostream>

#include "cli.h"
#include "hashrl/env/check_env.h"
#include "hashrl/env/env_registry.h"

namespace hashrl::cli {

int run_check_env(const std::vector<std::string>& args) {
  po::options_description options("hashrl check-env");
  add_config_options(options);
  options.add_options()("seed", po::value<uint64_t>()->default_value(0), "seed of the random actions");
  po::variables_map vm;
  if (!parse("check-env", args, options, vm, "--config FILE [--set section.key=value ...]")) return 0;
  const Config config = config_from(vm);
  auto env = make_env(config.get_string("env.kind", "HashEnv-v0"), config);
  config.check_all_used({"data", "env", "encoder", "reward", "sampler"});
  std::cout << env->spec().describe();
  const auto report = check_env(*env, vm["seed"].as<uint64_t>());
  std::cout << report.summary();
  return report.ok() ? 0 : 1;
}

}  // namespace hashrl::cli
