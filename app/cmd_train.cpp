// hashrl train: train an agent from a config, then encode and evaluate (see train/trainer.h).
#include <filesystem>
#include <iostream>

#include "catalog.h"
#include "cli.h"
#include "local_ranks.h"
#include "hashrl/common/error.h"
#include "hashrl/common/threads.h"
#include "hashrl/retrieval/code_stats.h"
#include "hashrl/retrieval/report.h"
#include "hashrl/train/stop_on_signal.h"
#include "hashrl/train/trainer.h"

namespace hashrl::cli {

int run_train(const std::vector<std::string>& args) {
  po::options_description options("hashrl train");
  add_config_options(options);
  options.add_options()
      ("out", po::value<std::string>(), "output folder of the run (created)")
      ("resume", po::value<std::string>(), "continue the run in this folder from its checkpoint and config.ini")
      ("json", "print the report as JSON on stdout")
      ("nproc", po::value<std::string>(), "start this many local ranks of a data-parallel run (docs/distributed.md)")
      ("help-config", "print every config key with its default and meaning (docs/config.md)");
  po::variables_map vm;
  if (!parse("train", args, options, vm, "--config FILE [--set section.key=value ...] --out DIR | --resume DIR"))
    return 0;
  if (vm.count("help-config")) {
    std::cout << config_doc();
    return 0;
  }
  if (vm.count("nproc")) {
    // Each local rank is a whole training process: past 4 x the cores (the --threads bound) they
    // only slow each other down; more ranks belong on more machines (torchrun, docs/distributed.md).
    const int nproc = static_cast<int>(int_flag(vm, "nproc", 1, 1 << 20));
    if (nproc > max_threads())
      fail("--nproc {}: at most {} local ranks here (4 x the {} cores, as --threads): each rank is a whole training "
           "process, and more only slow each other down; run torchrun on more machines for more (docs/distributed.md)",
           nproc, max_threads(), hardware_threads());
    if (std::getenv("WORLD_SIZE")) fail("--nproc starts ranks itself: do not give it to a rank torchrun started");
    if (nproc > 1) return run_local_ranks(nproc);
  }
  Config config;
  std::string out;
  if (vm.count("resume")) {
    out = vm["resume"].as<std::string>();
    if (vm.count("config"))
      fail("--resume {0} continues the run with its own {0}/config.ini; --config {1} would be ignored: drop it "
           "(--set changes a key of the run)", out, vm["config"].as<std::string>());
    config = Config::from_file(out + "/config.ini");
    if (vm.count("set"))
      for (const auto& assignment : vm["set"].as<std::vector<std::string>>()) config.apply_override(assignment);
  } else {
    if (!vm.count("config")) fail("--config FILE is required (or --resume DIR)");
    if (!vm.count("out")) fail("--out DIR is required");
    config = config_from(vm);
    out = vm["out"].as<std::string>();
  }
  const auto distributed = distributed_from_environment();
  Trainer trainer(config, out, distributed);
  if (vm.count("resume")) {
    if (trainer.resume()) std::cerr << "resumed at step " << trainer.step() << "\n";
    else std::cerr << "no checkpoint in " << out << " yet: training from step 0\n";
  } else if (distributed.restart > 0) {
    // torchrun restarted the workers after a failure: go on from the last checkpoint, which every
    // rank reads (on several machines, from a shared folder: docs/distributed.md).
    if (trainer.resume())
      std::cerr << fmt::format("rank {}: torchrun restart {}: resumed from {} at step {}\n", trainer.rank(),
                               distributed.restart, trainer.checkpoint_path(), trainer.step());
    else
      std::cerr << fmt::format("rank {}: torchrun restart {}: no checkpoint yet, training from step 0\n",
                               trainer.rank(), distributed.restart);
  }
  {
    StopOnSignal stop_on_signal(trainer);
    trainer.train();
  }
  const auto report = trainer.evaluate();  // every rank encodes a shard
  if (trainer.rank() != 0) return 0;       // rank 0 evaluates and reports for the whole run
  if (vm.count("json")) {
    std::cout << report.dump(2) << "\n";
  } else {
    const auto& m = report["metrics"];
    std::cout << fmt::format("{} bits: MAP {:.4f} (tie-aware; by database index {:.4f}), precision within radius {} {:.4f}",
                             m["code_length"].get<int64_t>(), m["map_tie_aware"].get<double>(),
                             m["map"].get<double>(), m["radius"].get<int64_t>(),
                             m["precision_within_radius"].get<double>());
    // The largest configured k (1000 by default). Tie-aware first, as MAP: a database stored class
    // by class (CIFAR-10's folders) makes the index-order figure read chance inside a tie.
    std::string largest_k;
    for (const auto& [k, value] : m["precision_at_k"].items())
      if (largest_k.empty() || std::stoll(k) > std::stoll(largest_k)) largest_k = k;
    if (!largest_k.empty())
      std::cout << fmt::format(", precision@{} {:.4f} (tie-aware; by database index {:.4f})", largest_k,
                               m["precision_at_k_tie_aware"][largest_k].get<double>(),
                               m["precision_at_k"][largest_k].get<double>());
    if (const auto warning = collapse_warning(report["database_codes"]); !warning.empty()) std::cout << "\n" << warning;
    std::cout << "\nrun written to " << out << " (report.json, codes/, metrics.jsonl)\n";
  }
  return 0;
}

}  // namespace hashrl::cli
