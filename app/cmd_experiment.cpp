// hashrl experiment: every method at every code length (and seed), as the paper's tables.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli.h"
#include "hashrl/common/error.h"
#include "hashrl/common/files.h"
#include "hashrl/train/experiment.h"

namespace hashrl::cli {

int run_experiment(const std::vector<std::string>& args) {
  po::options_description options("hashrl experiment");
  add_config_options(options);
  options.add_options()
      ("out", po::value<std::string>()->required(), "experiment folder: runs/, table.md, results.json, plots/")
      ("run-set", po::value<std::vector<std::string>>()->composing(),
       "override a key of every run: --run-set section.key=value (repeatable; after the file's own)")
      ("only", po::value<std::string>(), "comma-separated methods to run, of those the file names");
  po::variables_map vm;
  if (!parse("experiment", args, options, vm,
             "--config experiments/fashion-mnist.ini --out DIR [--run-set train.steps=1000] [--only drlih,lsh]"))
    return 0;
  if (!vm.count("config")) fail("--config names the experiment file (see experiments/)");
  Config config = config_from(vm);
  const auto base = std::filesystem::path(vm["config"].as<std::string>()).parent_path().string();
  ExperimentPlan plan = ExperimentPlan::from_config(config, base.empty() ? "." : base);
  if (vm.count("run-set"))
    for (const auto& o : vm["run-set"].as<std::vector<std::string>>()) plan.overrides.push_back(o);
  if (vm.count("only")) {
    Config list;
    list.set("only", vm["only"].as<std::string>(), "--only");
    std::vector<ExperimentMethod> kept;
    for (const auto& name : list.get_list("only", {})) {
      const auto it = std::find_if(plan.methods.begin(), plan.methods.end(), [&](const auto& m) { return m.name == name; });
      if (it == plan.methods.end()) fail("--only: the experiment has no method '{}'", name);
      kept.push_back(*it);
    }
    plan.methods = kept;
    // The comparison needs the baseline's runs: without them the table has no such section (its
    // finished runs are reused, so naming it costs nothing once it has run).
    if (!plan.baseline.empty() &&
        std::none_of(kept.begin(), kept.end(), [&](const auto& m) { return m.name == plan.baseline; })) {
      std::cerr << fmt::format("note: --only leaves out the baseline '{}' (experiment.baseline): no probability of "
                               "improvement in the table; add it to --only to compare (its finished runs are reused)\n",
                               plan.baseline);
      plan.baseline.clear();
    }
  }
  const auto out = vm["out"].as<std::string>();
  run_experiment(plan, out);
  std::cout << read_file(out + "/table.md") << "written to " << out << " (table.md, results.json, runs/)\n";
  return 0;
}

}  // namespace hashrl::cli
