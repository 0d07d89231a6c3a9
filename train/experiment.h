#pragma once
// An experiment: every method at every code length and seed, laid out as the paper's tables
// (MAP per method and code length) — what `hashrl experiment` runs. An experiment file names the
// methods, each a run config plus overrides:
//
//   [experiment]
//   code_lengths = 12,24,32,48
//   seeds = 0
//   max_group_size = 12        k at q bits: the largest divisor of q that is at most this (and
//                              at most the method's own group_size: ng keeps 1)
//   methods = drlih,lsh
//   set = train.steps=1000     overrides for every run (space-separated section.key=value)
//   baseline = noseq           optional: each method's probability of improvement over it
//
//   [method.drlih]
//   config = ../configs/drlih-cpu.ini    relative to the experiment file
//   [method.lsh]
//   config = ../configs/classic.ini
//   set = agent.kind=lsh
//
// Each run lands in OUT/runs/<method>-<q>b-s<seed>/ (a `hashrl train` folder). A run whose
// report.json exists for the same config is reused; one with only a checkpoint is resumed; so the
// table can be built in pieces and an interrupted experiment continues where it stopped. Then:
//   OUT/table.md      MAP (mean ± std, and the interquartile mean with a 95% bootstrap interval;
//                     with a baseline, the probability of improvement over it), precision within
//                     radius 2 and wall time per method and code length, and whether the paper's
//                     ordering (drlih > ng > noseq) holds at each length
//   OUT/results.json  every run's metrics and times
//   OUT/plots/        MAP and precision within radius 2 against code length (when plots = true)
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "hashrl/common/config.h"
#include "hashrl/common/keys.h"

namespace hashrl {

struct ExperimentMethod {
  std::string name, config_path;
  std::vector<std::string> overrides;  // section.key=value
};

struct ExperimentPlan {
  // Reads [experiment] and [method.*]; paths are taken relative to `base_dir`. Throws naming any
  // key that nothing reads.
  static ExperimentPlan from_config(const Config& config, const std::string& base_dir);

  std::vector<ExperimentMethod> methods;
  std::vector<int64_t> code_lengths = {12, 24, 32, 48};
  std::vector<int64_t> seeds = {0};
  int64_t max_group_size = 12;
  std::vector<std::string> overrides;  // for every run, before the method's own
  bool plots = true;
  std::string baseline;  // a method every other is compared with (probability of improvement); empty: none
};

// The keys of [experiment] and of each [method.NAME].
const KeyTable& experiment_keys();
const KeyTable& method_keys();

// The config of one run of the plan: the method's file, the overrides, then q, k and the seed.
// Where the overrides switch a kind (`set = agent.kind=noseq` over a drlih file), the file's keys
// of the old kind are dropped as on the command line (train/kind_switch.h); one notice per key
// dropped goes to `notices` when given.
Config experiment_run_config(const ExperimentPlan& plan, const ExperimentMethod& method, int64_t code_length,
                             uint64_t seed, std::vector<std::string>* notices = nullptr);

// Runs (or reuses) every run, then writes table.md, results.json and the plots; returns
// results.json's content.
nlohmann::json run_experiment(const ExperimentPlan& plan, const std::string& out_dir);

}  // namespace hashrl
