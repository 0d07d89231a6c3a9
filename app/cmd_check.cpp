// hashrl check: every conformance check that applies to a config (check_config,
// train/check_config.h): the data set, the env, the reward, the agent and its learner. Exit 1 on a failure.
#include <iostream>

#include "cli.h"
#include "hashrl/train/check_config.h"
#include "hashrl/train/trainer.h"

namespace hashrl::cli {

int run_check(const std::vector<std::string>& args) {
  po::options_description options("hashrl check");
  add_config_options(options);
  options.add_options()
      ("seed", po::value<std::string>()->default_value("0"), "seed of the checks' random draws, 0 or more")
      ("verbose", "list the checks that passed too");
  po::variables_map vm;
  if (!parse("check", args, options, vm, "--config FILE [--set section.key=value ...] [--verbose]")) return 0;
  const auto seed = static_cast<uint64_t>(int_flag(vm, "seed", 0, INT64_MAX));
  const Config config = config_from(vm);
  RunSettings::from_config(config);  // before the data is loaded: a bad value fails at once
  const auto report = check_config(config, seed);
  if (vm.count("verbose"))
    for (const auto& line : report.passed) std::cout << "  ok " << line << "\n";
  std::cout << report.summary();
  return report.ok() ? 0 : 1;
}

}  // namespace hashrl::cli
