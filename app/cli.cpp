#include "cli.h"

#include <fmt/format.h>

#include <iostream>

#include "catalog.h"
#include "hashrl/common/error.h"
#include "hashrl/common/parse_number.h"
#include "hashrl/common/plugins.h"
#include "hashrl/train/kind_switch.h"

namespace hashrl::cli {

int run_data(const std::vector<std::string>& args);
int run_train(const std::vector<std::string>& args);
int run_eval(const std::vector<std::string>& args);
int run_check_env(const std::vector<std::string>& args);
int run_encode(const std::vector<std::string>& args);
int run_serve(const std::vector<std::string>& args);
int run_index(const std::vector<std::string>& args);
int run_experiment(const std::vector<std::string>& args);
int run_list(const std::vector<std::string>& args);
int run_check(const std::vector<std::string>& args);

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"data", "load a data set and print its protocol split", run_data},
      {"train", "train an agent, then encode and evaluate (writes a run folder)", run_train},
      {"eval", "evaluate retrieval codes from .npy files (MAP, P@k, P@r2, PR)", run_eval},
      {"check-env", "run the environment conformance checks for a config", run_check_env},
      {"check", "run every conformance check that applies to a config (data, env, reward, agent, learner)", run_check},
      {"encode", "write a split's encoder features (and labels) to .npy, through the cache", run_encode},
      {"experiment", "run methods x code lengths x seeds and write the paper-style tables", run_experiment},
      {"index", "index a run's database codes into a file that serve loads (index build)", run_index},
      {"serve", "answer retrieval queries over HTTP from a trained run, and add items to it", run_serve},
      {"list", "print every registry's names (readers, envs, rewards, agents, learners...)", run_list},
  };
  return table;
}

void add_config_options(po::options_description& options) {
  options.add_options()
      ("config", po::value<std::string>(), "run configuration (INI file; see configs/ and docs/config.md)")
      ("set", po::value<std::vector<std::string>>()->composing(), "override one key: --set section.key=value (repeatable)")
      ("unset", po::value<std::vector<std::string>>()->composing(), "remove one key of the file: --unset section.key (repeatable)");
}

Config config_from(const po::variables_map& vm) {
  Config config = vm.count("config") ? Config::from_file(vm["config"].as<std::string>()) : Config();
  // An empty file would train every default, the paper's sizes: hours on a CPU, never what was meant.
  if (vm.count("config") && config.empty())
    fail("config file '{}' sets no key: give a config (configs/drlih-cpu.ini is the CPU default; "
         "hashrl train --help-config lists every key)", vm["config"].as<std::string>());
  load_plugins(config);  // before any kind is looked up: a plugin may provide it
  const auto kinds = kind_choices(config);
  if (vm.count("unset"))
    for (const auto& key : vm["unset"].as<std::vector<std::string>>()) config.unset(key);
  if (vm.count("set"))
    for (const auto& assignment : vm["set"].as<std::vector<std::string>>()) config.apply_override(assignment);
  // A kind switched on the command line leaves the file's keys of the old kind behind: dropped,
  // with a notice, rather than failing as keys nothing reads.
  for (const auto& notice : drop_replaced_kind_keys(config, kinds)) std::cerr << notice << "\n";
  load_plugins(config);  // any that --set plugins.load added
  return config;
}

int64_t int_flag(const po::variables_map& vm, const std::string& flag, int64_t min, int64_t max) {
  const std::string text = vm[flag].as<std::string>();
  const auto value = parse_integer(text);
  if (!value || *value < min || *value > max)
    fail("--{} must be a whole number from {} to {}, got '{}'", flag, min, max, text);
  return *value;
}

double number_flag(const po::variables_map& vm, const std::string& flag, double min, double max) {
  const std::string text = vm[flag].as<std::string>();
  const auto value = parse_number(text);
  if (!value || !(*value >= min && *value <= max))
    fail("--{} must be a number from {} to {}, got '{}'", flag, min, max, text);
  return *value;
}

bool parse(const std::string& command, const std::vector<std::string>& args, po::options_description& options,
           po::variables_map& vm, const std::string& usage) {
  options.add_options()("help,h", "show this help");
  try {
    const auto parsed = po::command_line_parser(args).options(options).run();
    // No command takes a positional argument: one is a typo ("hashrl list bogus"), not a no-op.
    const auto stray = po::collect_unrecognized(parsed.options, po::include_positional);
    if (!stray.empty())
      fail("unexpected argument '{}' (hashrl {} takes options only; see hashrl {} --help)", stray.front(), command,
           command);
    po::store(parsed, vm);
    if (vm.count("help")) {  // before notify(): --help needs none of the required options
      std::cout << "usage: hashrl " << command << " " << usage << "\n\n" << options << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    fail("{} (see hashrl {} --help)", e.what(), command);
  }
  return true;
}

}  // namespace hashrl::cli
