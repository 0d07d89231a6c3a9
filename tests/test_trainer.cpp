#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

#include "hashrl/common/error.h"
#include "hashrl/common/files.h"
#include "hashrl/data/data_source.h"
#include "hashrl/data/split.h"
#include "hashrl/train/checkpoint.h"
#include "hashrl/train/trainer.h"
#include "paths.h"
#include "support.h"

using namespace hashrl;

namespace {

// The learning-curve records of a run's metrics.jsonl (train.curve_every), in order.
std::vector<nlohmann::json> curve_points(const std::string& run_dir) {
  std::ifstream log(run_dir + "/metrics.jsonl");
  std::vector<nlohmann::json> points;
  for (std::string line; std::getline(log, line);)
    if (auto record = nlohmann::json::parse(line); record.contains("curve_map")) points.push_back(record);
  return points;
}

Config trainer_config(int64_t steps) {
  Config c = test::synthetic_config(8, 4, 4);
  c.set("train.steps", std::to_string(steps));
  c.set("train.checkpoint_every", "2");
  c.set("train.log_every", "1");
  c.set("optim.kind", "adam");
  c.set("optim.lr_step", "2");  // the schedule must resume too
  c.set("optim.lr_gamma", "0.5");
  c.set("eval.batch_size", "16");
  return c;
}

std::vector<torch::Tensor> parameters_of(Trainer& t) {
  std::vector<torch::Tensor> out;
  for (const auto& p : t.agent().module().parameters()) out.push_back(p.detach().clone());
  return out;
}

}  // namespace

TEST_CASE("a resumed run ends with the same parameters as an uninterrupted one") {
  // Each learner with a learned critic, so that the learner's own state is part of what must resume;
  // ppo also shuffles its minibatches from the generator that the checkpoint carries.
  const std::vector<std::vector<std::pair<std::string, std::string>>> learners = {
      {{"learner.baseline", "critic"}},
      {{"learner.kind", "ppo"}, {"learner.rollouts", "2"}, {"learner.epochs", "2"}, {"learner.minibatches", "2"}},
      {{"learner.kind", "a2c"}},
  };
  const auto settings = GENERATE_COPY(from_range(learners));
  INFO(settings.front().second);
  const std::string a_dir = test::scratch_dir("uninterrupted"), b_dir = test::scratch_dir("resumed");
  auto trainer_config = [&](int64_t steps) {
    Config c = ::trainer_config(steps);
    for (const auto& [key, value] : settings) c.set(key, value);
    return c;
  };
  Trainer a(trainer_config(6), a_dir);
  a.train();
  {
    Trainer first_half(trainer_config(3), b_dir);
    first_half.train();
  }
  Trainer b(trainer_config(6), b_dir);
  b.resume();
  CHECK(b.step() == 3);
  b.train();
  auto pa = parameters_of(a), pb = parameters_of(b);
  // The critic too: written to the checkpoint, read back, and stepped alike after resuming.
  REQUIRE(a.learner().module());
  for (const auto& p : a.learner().module()->parameters()) pa.push_back(p.detach().clone());
  for (const auto& p : b.learner().module()->parameters()) pb.push_back(p.detach().clone());
  REQUIRE(pa.size() == pb.size());
  for (size_t i = 0; i < pa.size(); ++i) CHECK(pa[i].equal(pb[i]));
  // The log holds every step once.
  std::ifstream log(b_dir + "/metrics.jsonl");
  CHECK(std::count(std::istreambuf_iterator<char>(log), {}, '\n') == 6);
}

TEST_CASE("a checkpoint writer killed mid-write leaves a loadable checkpoint") {
  const std::string dir = test::scratch_dir("killed");
  Trainer t(trainer_config(2), dir);
  t.train();  // a first good checkpoint
  const pid_t child = ::fork();
  if (child == 0) {
    // Write checkpoints as fast as possible until killed.
    Trainer writer(trainer_config(2), dir);
    for (;;) writer.checkpoint();
  }
  ::usleep(300 * 1000);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  Trainer reader(trainer_config(2), dir);
  CHECK_NOTHROW(reader.resume());
}

TEST_CASE("a non-finite value stops the run naming the step and the term, keeping the checkpoint") {
  const std::string dir = test::scratch_dir("nonfinite");
  Config c = trainer_config(50);
  c.set("optim.kind", "sgd");
  c.set("optim.lr", "1e30");
  c.set("train.checkpoint_every", "1");
  Trainer t(c, dir);
  CHECK_THROWS_WITH(t.train(), Catch::Contains("training stopped at step") && Catch::Contains("not finite"));
  Trainer reader(c, dir);
  CHECK_NOTHROW(reader.resume());
  CHECK(reader.step() >= 1);
}

TEST_CASE("a run writes its config, metrics, codes and report") {
  const std::string dir = test::scratch_dir("outputs");
  Trainer t(trainer_config(2), dir);
  t.train();
  const auto report = t.evaluate();
  for (const char* file : {"config.ini", "metrics.jsonl", "checkpoint.pt", "report.json", "codes/query_codes.npy",
                           "codes/db_codes.npy", "codes/query_labels.npy", "codes/db_labels.npy", "split/train.npy"})
    CHECK(std::filesystem::exists(dir + "/" + file));
  CHECK(report["metrics"]["code_length"] == 8);
  CHECK(report["metrics"].contains("map"));
  // The thread count, on which the figures depend, heads the resolved config.
  CHECK(read_file(dir + "/config.ini").rfind(fmt::format("# trained with {} threads", torch::get_num_threads()), 0) == 0);
  // The resolved config reproduces the run.
  CHECK_NOTHROW(Trainer(Config::from_file(dir + "/config.ini"), test::scratch_dir("rerun")));
}

TEST_CASE("a learning curve logs its points and leaves the training as it was") {
  Trainer plain(trainer_config(6), test::scratch_dir("no-curve"));
  plain.train();
  Config config = trainer_config(6);
  config.set("train.curve_every", "3");
  config.set("train.curve_database", "10");
  const std::string dir = test::scratch_dir("curve");
  Trainer curved(config, dir);
  curved.train();
  const auto a = parameters_of(plain), b = parameters_of(curved);
  for (size_t i = 0; i < a.size(); ++i) CHECK(torch::equal(a[i], b[i]));

  const auto points = curve_points(dir);
  REQUIRE(points.size() == 2);
  CHECK(points[0]["step"] == 3);
  CHECK(points[1]["episodes"] == 6);
  CHECK(points[1]["curve_database"] == 10);
  for (const auto& p : points) CHECK((p["curve_map"] > 0.0 && p["curve_map"] <= 1.0));
}

TEST_CASE("drlih learns on a small Fashion-MNIST split with the default CPU config, in seconds", "[fashion]") {
  // The quick learning check (the full protocol's is the [slow] case below): drlih-cpu as shipped
  // but for 8 triplets a step instead of 16, 500 steps on 200 queries from the test file, about
  // 1,000 training images and a database of 2,000 (those and as many more), against the same
  // policy untrained. One run's MAP jumps by up to 0.1 between points 50 steps apart (at 16
  // triplets a step, a dip at step 300 left one run 0.04 above untrained where the points around
  // it were 0.1-0.2 above), so the check takes the mean of the learning curve's five points.
  // Measured on one machine, seeds 0, 1, 3, 4 at one thread: mean gains +0.09 to +0.11; a learner
  // that does not learn (learning rate 0) -0.01. The margin asked is under half the smallest gain.
  const std::string split_dir = test::scratch_dir("learns-small-split");
  {
    LoadedData fashion = load_data(ConfigSection(
        Config::from_string("[data]\nkind = fashion-mnist\nqueries_per_label = 20\ntrain_per_label = 200\n"), "data"));
    Split small;
    small.query = fashion.split.query;
    small.database = fashion.split.train;                  // 200 a class
    small.train = fashion.split.train.slice(0, 0, {}, 2);  // every other one: about 100 a class
    save_split(small, split_dir);
  }
  Config c = Config::from_file(std::string(paths::kSourceDir) + "/configs/drlih-cpu.ini");
  c.set("data.split_dir", split_dir);
  c.set("train.checkpoint_every", "0");
  c.set("env.batch_size", "8");  // more updates for the same images: gains twice those at 16
  c.set("train.curve_every", "100");
  c.set("train.curve_database", "2000");  // the whole database: points and the final MAP agree
  c.set("train.steps", "0");
  const double untrained = Trainer(c, test::scratch_dir("learns-small-0")).evaluate()["metrics"]["map"].get<double>();
  c.set("train.steps", "500");
  const std::string dir = test::scratch_dir("learns-small-500");
  Trainer(c, dir).train();
  const auto points = curve_points(dir);
  REQUIRE(points.size() == 5);
  double mean = 0;
  for (const auto& p : points) mean += p["curve_map"].get<double>() / static_cast<double>(points.size());
  INFO("untrained MAP " << untrained << ", mean of the curve's points " << mean);
  CHECK(mean > untrained + 0.04);
}

TEST_CASE("drlih learns on Fashion-MNIST with the default CPU config", "[fashion][slow]") {
  // A short training (600 steps, ~50 s) against the same policy untrained; both evaluated on the
  // full protocol (1,000 queries against 69,000 database images). 600 steps land in a phase where
  // floating-point rounding moves the result a lot: measured gains over the untrained policy of
  // +0.14 to +0.49 over three seeds and two thread counts on one machine, +0.18 and +0.38 on two
  // others (docs/robustness.md). The margin asked is half the smallest: it fails for a learner
  // that does not learn (gain ~0), not for an unlucky rounding.
  auto map_after = [](int64_t steps) {
    Config c = Config::from_file(std::string(paths::kSourceDir) + "/configs/drlih-cpu.ini");
    c.set("train.steps", std::to_string(steps));
    c.set("train.checkpoint_every", "0");
    c.set("eval.batch_size", "1000");
    Trainer t(c, test::scratch_dir("learns-" + std::to_string(steps)));
    t.train();
    return t.evaluate()["metrics"]["map"].get<double>();
  };
  const double untrained = map_after(0), trained = map_after(600);
  INFO("untrained MAP " << untrained << ", trained MAP " << trained);
  CHECK(trained > untrained + 0.07);
}

TEST_CASE("group-relative leaves chance on a tiny HashEnv from the reward of the bits alone") {
  // Synthetic clusters (4 classes), identity encoder, 12-bit codes; the center reward on the
  // emitted bits: no gradient reaches the policy but through log pi. Against the same policy
  // untrained, over three seeds: untrained 0.41-0.53 (the clusters show through random
  // projections), trained 0.96-1.0 here; the test asks +0.2, under half the smallest gain.
  for (const int seed : {0, 1, 2}) {
    auto map_after = [&](int64_t steps) {
      Config c = test::synthetic_config(12, 4, 8);
      c.set("env.samples_per_state", "4");
      c.set("reward.kind", "center");
      c.set("reward.codes", "bits");
      c.set("learner.kind", "group-relative");
      c.set("optim.kind", "adam");
      c.set("optim.lr", "0.003");
      c.set("train.seed", std::to_string(seed));
      c.set("train.steps", std::to_string(steps));
      c.set("train.checkpoint_every", "0");
      Trainer t(c, test::scratch_dir("group-relative-" + std::to_string(seed) + "-" + std::to_string(steps)));
      t.train();
      return t.evaluate()["metrics"]["map"].get<double>();
    };
    const double untrained = map_after(0), trained = map_after(300);
    INFO("seed " << seed << ": untrained MAP " << untrained << ", trained MAP " << trained);
    CHECK(trained > untrained + 0.2);
  }
}

TEST_CASE("the encoder's parameters take their own learning-rate scale, on the schedule") {
  OptimizerSettings settings = OptimizerSettings::from_config(ConfigSection(
      Config::from_string("[optim]\nkind = adam\nlr = 0.01\nlr_step = 10\nlr_gamma = 0.5\nencoder_lr_scale = 3\n"),
      "optim"));
  const auto agent = torch::zeros({2}, torch::requires_grad()), encoder = torch::zeros({3}, torch::requires_grad());
  auto optimizer = make_optimizer(settings, {{agent}, {encoder}});
  REQUIRE(optimizer->param_groups().size() == 2);
  set_learning_rate(*optimizer, settings, 10);
  CHECK(optimizer->param_groups()[0].options().get_lr() == Approx(0.005));
  CHECK(optimizer->param_groups()[1].options().get_lr() == Approx(0.015));
  // Without encoder parameters (a frozen encoder) there is one group.
  CHECK(make_optimizer(settings, {{agent}, {}})->param_groups().size() == 1);
}

TEST_CASE("a run stopped before its first checkpoint resumes from step 0 to the same result") {
  const std::string a_dir = test::scratch_dir("no-ckpt-a"), b_dir = test::scratch_dir("no-ckpt-b");
  Trainer a(trainer_config(4), a_dir);
  a.train();
  { Trainer killed_early(trainer_config(4), b_dir); }  // built (config.ini written), never trained
  Trainer b(trainer_config(4), b_dir);
  CHECK_FALSE(b.resume());
  CHECK(b.step() == 0);
  b.train();
  const auto pa = parameters_of(a), pb = parameters_of(b);
  for (size_t i = 0; i < pa.size(); ++i) CHECK(pa[i].equal(pb[i]));
}

TEST_CASE("after a crash between checkpoints the resumed log holds each step once, and the time of every segment") {
  const std::string dir = test::scratch_dir("log-after-crash");
  const std::string saved = dir + "/step2.pt";
  {
    Trainer t(trainer_config(2), dir);
    t.train();
    std::filesystem::copy_file(t.checkpoint_path(), saved);
  }
  {
    Trainer t(trainer_config(3), dir);
    t.resume();
    t.train();  // logs step 3, then checkpoints it...
  }
  // ...and the "crash" loses that checkpoint: the run stands at step 2 with step 3 in its log.
  std::filesystem::copy_file(saved, dir + "/checkpoint.pt", std::filesystem::copy_options::overwrite_existing);
  Trainer t(trainer_config(5), dir);
  REQUIRE(t.resume());
  CHECK(t.step() == 2);
  const double resumed_seconds = t.evaluate()["run"]["train_seconds"].get<double>();
  t.train();
  CHECK(resumed_seconds > 0);  // the first segment's time came back with the checkpoint
  CHECK(t.evaluate()["run"]["train_seconds"].get<double>() > resumed_seconds);
  std::ifstream log(dir + "/metrics.jsonl");
  std::vector<int64_t> steps;
  for (std::string line; std::getline(log, line);) steps.push_back(nlohmann::json::parse(line)["step"].get<int64_t>());
  CHECK(steps == std::vector<int64_t>{1, 2, 3, 4, 5});
}

TEST_CASE("a stop request checkpoints the step reached and ends with a message saying how to resume") {
  const std::string dir = test::scratch_dir("stop-request");
  Trainer t(trainer_config(6), dir);
  t.train_until(2);
  t.request_stop();
  CHECK_THROWS_WITH(t.train(), Catch::Contains("interrupted at step 2") && Catch::Contains("--resume"));
  Trainer resumed(trainer_config(6), dir);
  REQUIRE(resumed.resume());
  CHECK(resumed.step() == 2);
}

TEST_CASE("a checkpoint is also written by time, whatever checkpoint_every says") {
  const std::string dir = test::scratch_dir("ckpt-by-time");
  Config c = trainer_config(3);
  c.set("train.checkpoint_every", "0");
  c.set("train.checkpoint_seconds", "1e-9");  // every step
  Trainer t(c, dir);
  t.train_until(1);
  Trainer reader(c, dir);
  REQUIRE(reader.resume());
  CHECK(reader.step() == 1);
}
