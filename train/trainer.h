#pragma once
// A training run: what `hashrl train` does. It builds everything from one config, trains the
// agent with its learner, then encodes queries and database with greedy bits and evaluates them.
//
// Its [train] and [eval] keys are train_keys() and eval_keys() (docs/config.md).
//
// Everything lands in the output folder:
//   config.ini       the resolved config (every key, defaults included): rerun or resume from it
//   metrics.jsonl    one line per logged step: loss terms, rewards, entropy, grad norm, lr, rates
//   checkpoint.pt    the last good checkpoint (see checkpoint.h)
//   split/           the protocol split (query.npy, train.npy, database.npy)
//   codes/           query_codes.npy, query_labels.npy, db_codes.npy, db_labels.npy
//   report.json      the retrieval metrics and the run's facts
//   plots/           PR curve and precision@k, when eval.plots = true
#include <nlohmann/json.hpp>
#include <torch/optim/optimizer.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <string>

#include "hashrl/agents/agent.h"
#include "hashrl/common/config.h"
#include "hashrl/common/run_seed.h"
#include "hashrl/data/data_source.h"
#include "hashrl/env/env.h"
#include "hashrl/retrieval/plots.h"
#include "hashrl/retrieval/ranking_metrics.h"
#include "hashrl/learners/learner.h"
#include "hashrl/train/metrics_log.h"
#include "hashrl/train/distributed.h"
#include "hashrl/train/gradient_averager.h"
#include "hashrl/train/optimizer.h"

namespace hashrl {

// The largest step count any [train] or [eval] count key accepts.
inline constexpr int64_t kMaxSteps = 1'000'000'000;

struct TrainSettings {
  static TrainSettings from_config(const ConfigSection& section);
  int64_t steps = 1000, log_every = 10, checkpoint_every = 500;
  // Also checkpoint when this long has passed since the last one (0: only by steps), so that a
  // crash loses at most about this much training whatever checkpoint_every says.
  double checkpoint_seconds = 60;
  uint64_t seed = kDefaultSeed;
  // The learning curve: every curve_every steps (0: never) the MAP of the queries against
  // curve_database items spread evenly over the database, logged to metrics.jsonl as curve_map
  // with the step and the episodes rolled out so far.
  // A sample keeps each point cheap; its MAP tracks the full one's trend, not its value.
  int64_t curve_every = 0, curve_database = 5000;
};

struct EvalSettings {
  static EvalSettings from_config(const ConfigSection& section);
  EvalOptions metrics;
  int64_t batch_size = 256;
  bool plots = false;
  PlotFormat plot_format = PlotFormat::kPng;
};

// The keys of [train] and [eval].
const KeyTable& train_keys();
const KeyTable& eval_keys();

// Every setting of a run that is not a component: read (and so validated) together, by the Trainer
// and by `hashrl check-env`, before any data is loaded.
struct RunSettings {
  static RunSettings from_config(const Config& config);
  TrainSettings train;
  EvalSettings eval;
  OptimizerSettings optim;
};

class Trainer {
 public:
  // Builds data, env, agent, learner and optimiser; throws naming any key that nothing read.
  // With `distributed.world_size` > 1 (by default read from torchrun's variables) it is one rank of
  // a data-parallel run (distributed.h): rank 0's parameters are broadcast, each rank draws its own
  // triplets from (seed, rank, step), gradients are averaged during every backward pass, evaluation
  // encodes a shard on each rank, and rank 0 alone writes the run folder (config, metrics,
  // checkpoints, codes, report); the other ranks write nothing.
  Trainer(Config config, std::string out_dir, DistributedOptions distributed = distributed_from_environment());
  ~Trainer();

  // Continues from out_dir/checkpoint.pt; false (and step 0) when the run was stopped before its
  // first checkpoint was written, which a fresh start repeats exactly.
  bool resume();
  // Asks a running train() to checkpoint and stop (throwing "interrupted at step N") after the
  // step in progress. Safe to call from a signal handler.
  void request_stop();
  bool stop_requested() const { return stop_requested_ != 0; }
  // Writes out_dir/checkpoint.pt now (train() also does, every train.checkpoint_every steps).
  void checkpoint();
  // Trains until train.steps (from wherever it stands), checkpointing as it goes.
  void train() { train_until(train_.steps); }
  // Trains until the step counter reaches `steps` (benchmarks and tests time parts of a run).
  // A closed-form agent is fitted instead, once.
  void train_until(int64_t steps);
  // Encodes queries and database, evaluates, writes codes/ and report.json; returns the report.
  // Distributed, every rank must call it: each encodes its shard, and rank 0 evaluates the whole.
  nlohmann::json evaluate();

  int64_t step() const { return step_; }
  // This process's rank and the number of ranks (0 and 1 unless distributed).
  int rank() const;
  int world_size() const;
  Agent& agent() { return *agent_; }
  Learner& learner() { return *learner_; }
  Env& env() { return *env_; }
  const LoadedData& data() const { return data_; }
  std::string checkpoint_path() const { return out_dir_ + "/checkpoint.pt"; }

 private:
  // Fits a closed-form agent (a classic hasher) on the training split: its whole training, which
  // counts as one step.
  void fit_closed_form();
  // One update of the learner on a fresh rollout buffer (UpdateContext, learners/learner.h: the
  // optimiser steps it takes throw naming the step and the term when anything is not finite).
  nlohmann::json train_step();
  class StepContext;
  // Rank 0 writes the run folder; the other ranks only train.
  bool writes() const { return rank() == 0; }
  // The codes of these items: all encoded here, or, distributed, a shard on each rank gathered.
  torch::Tensor encode_shared(const torch::Tensor& indices, const std::string& label);
  // One point of the learning curve (TrainSettings::curve_every), logged; rank 0 alone computes
  // it with its own model, the others wait for it at the next all-reduce.
  void log_curve_point();

  Config config_;
  std::string out_dir_;
  TrainSettings train_;
  EvalSettings eval_;
  OptimizerSettings optim_;
  LoadedData data_;
  std::unique_ptr<Env> env_;
  std::shared_ptr<Agent> agent_;
  std::shared_ptr<Learner> learner_;
  std::vector<torch::Tensor> parameters_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  std::unique_ptr<MetricsLog> log_;
  std::unique_ptr<ProcessGroup> group_;  // null unless distributed
  std::unique_ptr<GradientAverager> averager_;
  int64_t step_ = 0;
  double train_seconds_ = 0;  // over every segment of a resumed run
  std::chrono::steady_clock::time_point last_checkpoint_;
  volatile std::sig_atomic_t stop_requested_ = 0;
};

}  // namespace hashrl
