#include "hashrl/train/trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <filesystem>

#include "hashrl/common/blas_core.h"
#include "hashrl/common/error.h"
#include "hashrl/common/files.h"
#include "hashrl/common/npy.h"
#include "hashrl/common/plugins.h"
#include "hashrl/common/progress.h"
#include "hashrl/common/run_seed.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/retrieval/plots.h"
#include "hashrl/retrieval/code_stats.h"
#include "hashrl/retrieval/report.h"
#include "hashrl/train/checkpoint.h"
#include "hashrl/train/encode.h"

namespace hashrl {
namespace {

const TrainSettings kTrainDefaults;
KeyTable train_table;
const auto kSteps = train_table.integer("steps", kTrainDefaults.steps, 0, kMaxSteps, "optimiser steps");
// The seed is declared in common/run_seed.h, because env factories below this layer read it too.
[[maybe_unused]] const bool kSeedAppended = (train_table.append(run_seed_keys()), true);
const auto kLogEvery = train_table.integer("log_every", kTrainDefaults.log_every, 1, kMaxSteps,
                                           "steps between lines of metrics.jsonl");
const auto kCheckpointEvery = train_table.integer("checkpoint_every", kTrainDefaults.checkpoint_every, 0, kMaxSteps,
                                                  "steps between checkpoints (0: only by time and at the end)");
const auto kCheckpointSeconds =
    train_table.real("checkpoint_seconds", kTrainDefaults.checkpoint_seconds, 0, 1e9,
                     "also checkpoint when this long has passed since the last one, so a crash loses at most "
                     "about that much (0: off)");
const auto kCurveEvery = train_table.integer("curve_every", kTrainDefaults.curve_every, 0, kMaxSteps,
                                             "steps between points of the learning curve, curve_map in "
                                             "metrics.jsonl (0: no curve)");
const auto kCurveDatabase = train_table.integer("curve_database", kTrainDefaults.curve_database, 1, kMaxSteps,
                                                "database items, spread evenly, that a curve point ranks");

const EvalSettings kEvalDefaults;
KeyTable eval_table;
const auto kEvalBatchSize = eval_table.integer("batch_size", kEvalDefaults.batch_size, 1, 65536, "images encoded at once");
const auto kTopk = eval_table.integer("topk", kEvalDefaults.metrics.topk, 0, kMaxSteps, "MAP@K's K (0: no MAP@K)");
const auto kRadius = eval_table.integer("radius", kEvalDefaults.metrics.radius, 0, 4096,
                                        "precision and recall within this Hamming radius");
const auto kPrecisionAt = eval_table.int_list("precision_at", kEvalDefaults.metrics.precision_at, 1, kMaxSteps,
                                              "P@k for each k");
const auto kPlots = eval_table.flag("plots", kEvalDefaults.plots, "write the PR curve and P@k plots (gnuplot)");
const auto kPlotFormat = eval_table.choice("plot_format", kEvalDefaults.plot_format, kPlotFormats, "the plots' format");

}  // namespace

const KeyTable& train_keys() { return train_table; }
const KeyTable& eval_keys() { return eval_table; }

TrainSettings TrainSettings::from_config(const ConfigSection& s) {
  TrainSettings t;
  t.steps = kSteps(s);
  t.seed = run_seed(s);
  t.log_every = kLogEvery(s);
  t.checkpoint_every = kCheckpointEvery(s);
  t.checkpoint_seconds = kCheckpointSeconds(s);
  t.curve_every = kCurveEvery(s);
  t.curve_database = kCurveDatabase(s);
  return t;
}

EvalSettings EvalSettings::from_config(const ConfigSection& s) {
  EvalSettings e;
  e.batch_size = kEvalBatchSize(s);
  e.metrics.topk = kTopk(s);
  e.metrics.radius = kRadius(s);
  e.metrics.precision_at = kPrecisionAt(s);
  e.plots = kPlots(s);
  e.plot_format = kPlotFormat(s);
  return e;
}

RunSettings RunSettings::from_config(const Config& config) {
  return {TrainSettings::from_config(ConfigSection(config, "train")),
          EvalSettings::from_config(ConfigSection(config, "eval")),
          OptimizerSettings::from_config(ConfigSection(config, "optim"))};
}

Trainer::Trainer(Config config, std::string out_dir, DistributedOptions distributed)
    : config_(std::move(config)), out_dir_(std::move(out_dir)) {
  load_plugins(config_);  // before any component is built; config.ini then names them
  const auto settings = RunSettings::from_config(config_);
  train_ = settings.train;
  eval_ = settings.eval;
  optim_ = settings.optim;
  torch::manual_seed(train_.seed);
  use_local_cuda_device(distributed);  // before anything is put on `cuda`
  data_ = load_data(ConfigSection(config_, "data"));
  env_ = make_env(env_kind(config_), config_, data_);
  agent_ = make_agent(config_, env_->spec());
  learner_ = make_learner(ConfigSection(config_, "learner"), agent_->default_learner(), env_->spec());
  TrainableParameters trainable{agent_->module().parameters(), env_->parameters()};
  if (auto* module = learner_->module())
    for (const auto& p : module->parameters()) trainable.agent.push_back(p);
  optimizer_ = make_optimizer(optim_, trainable);
  parameters_ = trainable.all();
  config_.check_all_used();
  if (distributed.world_size > 1) {
    distributed.device = env_->spec().device;
    group_ = std::make_unique<ProcessGroup>(distributed);
    group_->broadcast(parameters_);  // the same seed builds the same model; this makes sure of it
    averager_ = std::make_unique<GradientAverager>(*group_, parameters_);
  }
  if (!writes()) return;

  std::filesystem::create_directories(out_dir_ + "/codes");
  // The thread count is not a config key (it is the tool's --threads) but the results depend on it.
  write_file_atomic(out_dir_ + "/config.ini",
                    fmt::format("# trained with {} threads (hashrl --threads {}): the figures are reproducible at "
                                "the same thread count (docs/robustness.md)\n",
                                torch::get_num_threads(), torch::get_num_threads()) +
                        config_.to_ini());
  save_split(data_.split, out_dir_ + "/split");
}

Trainer::~Trainer() = default;

int Trainer::rank() const { return group_ ? group_->rank() : 0; }
int Trainer::world_size() const { return group_ ? group_->world_size() : 1; }

bool Trainer::resume() {
  // Killed before its first checkpoint was whole: nothing was trained that a fresh start from the
  // same config would not repeat exactly.
  if (!std::filesystem::exists(checkpoint_path())) return false;
  const auto progress = load_checkpoint(checkpoint_path(), *agent_, *env_, *learner_, *optimizer_);
  step_ = progress.step;
  train_seconds_ = progress.train_seconds;
  return true;
}

void Trainer::checkpoint() {
  if (!writes()) return;
  save_checkpoint(checkpoint_path(), *agent_, *env_, *learner_, *optimizer_, {step_, train_seconds_});
  last_checkpoint_ = std::chrono::steady_clock::now();
}

void Trainer::request_stop() { stop_requested_ = true; }

// The trainer's side of a learner's update (learners/learner.h): its optimiser, its parameters and
// its checks, for one trainer step.
class Trainer::StepContext : public UpdateContext {
 public:
  StepContext(Trainer& trainer) : trainer_(trainer) {}
  Agent& agent() override { return *trainer_.agent_; }
  torch::Tensor encode(const torch::Tensor& inputs) override { return trainer_.env_->encode(inputs); }

  double optimizer_step(const LossTerms& terms) override {
    auto& t = trainer_;
    const int64_t step = t.step_ + 1;
    t.optimizer_->zero_grad();
    if (t.averager_) t.averager_->begin();
    terms.loss.backward();
    if (t.averager_) t.averager_->finish();
    const double max_norm = t.optim_.clip_grad_norm > 0 ? t.optim_.clip_grad_norm : std::numeric_limits<double>::infinity();
    const double grad_norm = torch::nn::utils::clip_grad_norm_(t.parameters_, max_norm);
    auto finite_or_fail = [&](const std::string& name, double value) {
      if (!std::isfinite(value))
        fail("training stopped at step {}: {} is not finite ({}); the last good checkpoint is '{}'", step, name, value,
             t.checkpoint_path());
    };
    finite_or_fail("loss", terms.loss.item<double>());
    for (const auto& [name, value] : terms.terms) finite_or_fail(name, value.item<double>());
    if (!std::isfinite(grad_norm))
      fail("training stopped at step {}: the gradient is not finite; the last good checkpoint is '{}'", step,
           t.checkpoint_path());
    t.optimizer_->step();
    // A finite gradient can still carry parameters past the float range (a learning rate far too
    // large); caught here, the next episode does not fail obscurely inside a Bernoulli draw.
    // Each tensor's smallest and largest value (a NaN anywhere makes both NaN): one operator a
    // tensor where isfinite().all() takes five, and one host sync for all tensors.
    std::vector<torch::Tensor> extremes;
    for (const auto& p : t.parameters_) {
      auto [lowest, highest] = torch::aminmax(p);
      extremes.push_back(lowest);
      extremes.push_back(highest);
    }
    if (!torch::isfinite(torch::stack(extremes)).all().item<bool>())
      fail("training stopped at step {}: the parameters are not finite after its update (learning rate too "
           "large?); the last good checkpoint is '{}'", step, t.checkpoint_path());
    return grad_norm;
  }

 private:
  Trainer& trainer_;
};

nlohmann::json Trainer::train_step() {
  const auto lr = optim_.lr_at(step_);
  set_learning_rate(*optimizer_, optim_, step_);
  agent_->module().train();
  std::vector<Trajectory> buffer;
  UpdateResult result;
  StepContext context(*this);
  try {
    // Distributed, each rank's draws come from (seed, rank, step) alone: what a rank draws never
    // depends on where the run was resumed (an undistributed run keeps one continuing stream, which
    // its checkpoints hold).
    auto seed_of = [&](int64_t stream) -> std::optional<uint64_t> {
      if (!group_) return std::nullopt;
      return rank_step_seed(train_.seed, rank(), step_, stream);
    };
    if (group_) torch::manual_seed(*seed_of(0));
    for (int64_t i = 0; i < learner_->episodes_per_update(); ++i)
      buffer.push_back(rollout(*env_, *agent_, agent_->training_mode(), seed_of(i + 1)));
    result = learner_->update(buffer, context);
  } catch (const NonFiniteError& e) {
    fail("training stopped at step {}: {}; the last good checkpoint is '{}'", step_ + 1, e.what(), checkpoint_path());
  }
  double reward = 0;
  for (const auto& trajectory : buffer) reward += trajectory.total_reward().mean().item<double>();
  nlohmann::json record{{"step", step_ + 1},
                        {"lr", lr},
                        {"loss", result.loss},
                        {"grad_norm", result.grad_norm},
                        {"reward", reward / static_cast<double>(buffer.size())}};
  for (const auto& [name, value] : result.terms) record[name] = value;
  if (averager_) {
    const auto sync = averager_->take_stats();
    record["allreduce_bytes"] = sync.bytes;
    record["allreduce_wait_seconds"] = sync.wait_seconds;
    record["allreduce_started_in_backward"] = sync.buckets > 0 ? double(sync.started_in_backward) / sync.buckets : 0.0;
  }
  ++step_;
  return record;
}

void Trainer::fit_closed_form() {
  const auto start = std::chrono::steady_clock::now();
  const auto& train = data_.split.train;
  const auto features = encode_features(*env_, data_.data, train, eval_.batch_size, "encode training split");
  agent_->fit(features, data_.data.labels.index_select(0, train).to(features.device()));
  step_ = 1;
  train_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (log_) log_->write({{"step", step_}, {"fitted_items", train.size(0)}, {"seconds", train_seconds_}});
  checkpoint();
}

void Trainer::train_until(int64_t steps) {
  if (!log_ && writes()) log_ = std::make_unique<MetricsLog>(out_dir_ + "/metrics.jsonl", step_);
  if (agent_->fitted_in_closed_form()) {
    if (step_ == 0 && steps > 0) fit_closed_form();
    return;
  }
  using Clock = std::chrono::steady_clock;
  const int64_t rows_per_step = env_->spec().num_rows();
  // Rank 0 draws the progress line; the others would only interleave with it.
  static std::FILE* const nowhere = std::fopen("/dev/null", "w");
  const int64_t first_step = step_;
  Progress progress("train", steps, "step", writes() ? stderr : nowhere, first_step);
  const auto start = Clock::now();
  last_checkpoint_ = start;
  double recent_reward = 0, curve_seconds = 0;  // steps/s leaves the curve's evaluations out
  while (step_ < steps) {
    if (stop_requested_) {
      checkpoint();
      fail("interrupted at step {}; the checkpoint '{}' holds it: continue with hashrl train --resume {}", step_,
           checkpoint_path(), out_dir_);
    }
    const auto step_start = Clock::now();
    auto record = train_step();
    train_seconds_ += std::chrono::duration<double>(Clock::now() - step_start).count();
    recent_reward = record["reward"].get<double>();
    if (step_ % train_.log_every == 0 || step_ == steps) {
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count() - curve_seconds;
      record["seconds"] = train_seconds_;
      record["steps_per_second"] = seconds > 0 ? (step_ - first_step) / seconds : 0.0;
      record["images_per_second"] = record["steps_per_second"].get<double>() * rows_per_step * world_size();
      if (log_) log_->write(record);
    }
    if (train_.curve_every > 0 && step_ % train_.curve_every == 0 && writes()) {
      const auto curve_start = Clock::now();
      log_curve_point();
      curve_seconds += std::chrono::duration<double>(Clock::now() - curve_start).count();
    }
    const bool by_steps = train_.checkpoint_every > 0 && step_ % train_.checkpoint_every == 0;
    const bool by_time = train_.checkpoint_seconds > 0 &&
                         std::chrono::duration<double>(Clock::now() - last_checkpoint_).count() >= train_.checkpoint_seconds;
    if (by_steps || by_time) checkpoint();
    progress.update(step_, fmt::format("reward {:.3f}", recent_reward));
  }
  progress.finish(fmt::format("reward {:.3f}", recent_reward));
  checkpoint();
}

torch::Tensor Trainer::encode_shared(const torch::Tensor& indices, const std::string& label) {
  if (!group_) return encode_codes(*env_, *agent_, data_.data, indices, eval_.batch_size, label);
  const int64_t n = indices.size(0), ranks = world_size();
  const auto shard = indices.slice(0, n * rank() / ranks, n * (rank() + 1) / ranks);
  return group_->gather_rows(encode_codes(*env_, *agent_, data_.data, shard, eval_.batch_size, label));
}

void Trainer::log_curve_point() {
  const auto start = std::chrono::steady_clock::now();
  const auto& split = data_.split;
  const int64_t n = split.database.size(0), m = std::min(n, train_.curve_database);
  // Evenly spaced, not drawn: no generator is touched, so a run with a curve trains exactly as one
  // without, and every point ranks the same items.
  const auto sample = split.database.index_select(0, torch::linspace(0, n - 1, m).round().to(torch::kLong));
  const auto query_codes = encode_codes(*env_, *agent_, data_.data, split.query, eval_.batch_size, "curve queries");
  const auto db_codes = encode_codes(*env_, *agent_, data_.data, sample, eval_.batch_size, "curve database");
  EvalOptions options;
  options.precision_at.clear();
  const auto metrics = evaluate_retrieval(query_codes, data_.data.labels.index_select(0, split.query), db_codes,
                                          data_.data.labels.index_select(0, sample), options);
  // Learners roll out different numbers of episodes an update: curves compare on episodes (env
  // batches rolled out through every group), not on updates.
  log_->write({{"step", step_},
               {"episodes", step_ * learner_->episodes_per_update()},
               {"curve_map", metrics.map_tie_aware},
               {"curve_database", m},
               {"train_seconds", train_seconds_},  // training time so far: curves against wall time
               {"curve_seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}});
}

nlohmann::json Trainer::evaluate() {
  const auto start = std::chrono::steady_clock::now();
  if (group_) {
    // The ranks' parameters are identical, but not their buffers (a batch norm's running
    // statistics follow each rank's own batches): every rank encodes with rank 0's whole model.
    std::string weights = writes() ? weights_bytes(*agent_, *env_) : std::string();
    group_->broadcast(weights);
    if (!writes()) load_weights_bytes(weights, *agent_, *env_);
  }
  const auto& split = data_.split;
  const auto query_codes = encode_shared(split.query, "encode queries");
  const auto db_codes = encode_shared(split.database, "encode database");
  if (!writes()) return {{"rank", rank()}, {"note", "rank 0 evaluates and writes the report"}};
  const auto query_labels = data_.data.labels.index_select(0, split.query);
  const auto db_labels = data_.data.labels.index_select(0, split.database);
  save_npy(out_dir_ + "/codes/query_codes.npy", query_codes);
  save_npy(out_dir_ + "/codes/query_labels.npy", query_labels);
  save_npy(out_dir_ + "/codes/db_codes.npy", db_codes);
  save_npy(out_dir_ + "/codes/db_labels.npy", db_labels);
  const auto metrics = evaluate_retrieval(query_codes, query_labels, db_codes, db_labels, eval_.metrics);

  nlohmann::json report;
  report["metrics"] = to_json(metrics);
  report["database_codes"] = to_json(code_stats(db_codes, db_labels));
  report["run"] = {{"steps", step_},
                   {"train_seconds", train_seconds_},
                   {"eval_seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()},
                   {"agent", agent_kind(config_)},
                   {"data", data_.data.name},
                   {"split", describe(split)},
                   {"threads", at::get_num_threads()},
                   {"ranks", world_size()},
                   {"blas", describe_blas()}};
  if (eval_.plots) {
    PlotOptions plot;
    plot.format = eval_.plot_format;
    report["plots"] = plot_metrics(metrics, out_dir_ + "/plots", plot);
  }
  write_file_atomic(out_dir_ + "/report.json", report.dump(2) + "\n");
  return report;
}

}  // namespace hashrl
