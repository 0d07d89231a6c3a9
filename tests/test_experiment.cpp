// hashrl experiment (issue 8): the table, reused runs, and the group size at each code length.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "hashrl/common/files.h"
#include "hashrl/train/experiment.h"
#include "hashrl/train/seed_statistics.h"
#include "support.h"

using namespace hashrl;
using Catch::Detail::Approx;

namespace {

// An experiment over synthetic data: two classic methods and a two-step DRLIH.
std::string write_experiment(const std::string& dir, const std::string& drlih_steps) {
  const Config run = test::synthetic_config(8, 4, 4);
  std::ofstream(dir + "/synthetic.ini") << run.to_ini();
  std::ofstream(dir + "/classic.ini") << test::synthetic_data_config(8, 4, 4).to_ini();
  std::ofstream(dir + "/experiment.ini") << "[experiment]\ncode_lengths = 6,8\nmethods = drlih,itq,lsh\nplots = false\n"
                                            "[method.drlih]\nconfig = synthetic.ini\nset = train.steps=" + drlih_steps +
                                                " eval.batch_size=32\n"
                                            "[method.itq]\nconfig = classic.ini\nset = agent.kind=itq\n"
                                            "[method.lsh]\nconfig = classic.ini\nset = agent.kind=lsh\n";
  return dir + "/experiment.ini";
}

ExperimentPlan plan_of(const std::string& path) {
  return ExperimentPlan::from_config(Config::from_file(path), std::filesystem::path(path).parent_path().string());
}

}  // namespace

TEST_CASE("an experiment writes the paper-style table and reuses finished runs") {
  const auto dir = test::scratch_dir("experiment");
  const auto out = dir + "/out";
  const auto results = run_experiment(plan_of(write_experiment(dir, "2")), out);
  REQUIRE(results.size() == 6);  // 3 methods x 2 code lengths
  for (const auto& r : results) CHECK(r["reused"] == false);
  const std::string table = read_file(out + "/table.md");
  CHECK_THAT(table, Catch::Contains("| method | 6 bits | 8 bits |"));
  CHECK_THAT(table, Catch::Contains("| itq |"));
  CHECK_THAT(table, Catch::Contains("Precision within Hamming radius 2"));
  // The tie-aware MAP leads, the index-order one beside it, and the codes' variety is counted.
  CHECK(table.find("MAP (full database, tie-aware") < table.find("MAP with ties by database index"));
  CHECK_THAT(table, Catch::Contains("Distinct database codes") && Catch::Contains("The largest code's share"));
  CHECK(results[0]["database_codes"]["distinct_codes"].get<int64_t>() > 0);
  CHECK(std::filesystem::exists(out + "/runs/drlih-6b-s0/report.json"));

  // Run again: everything is reused, with the same numbers.
  const auto again = run_experiment(plan_of(write_experiment(dir, "2")), out);
  for (size_t i = 0; i < again.size(); ++i) {
    CHECK(again[i]["reused"] == true);
    CHECK(again[i]["map"] == results[i]["map"]);
  }
  // A method whose config changed is retrained; the others are still reused.
  const auto changed = run_experiment(plan_of(write_experiment(dir, "3")), out);
  for (const auto& r : changed) CHECK(r["reused"] == (r["method"] != "drlih"));
  for (const auto& r : changed)
    if (r["method"] == "drlih") CHECK(r["steps"] == 3);
}

TEST_CASE("an experiment uses the largest group size that divides each code length") {
  const auto dir = test::scratch_dir("experiment-groups");
  auto plan = plan_of(write_experiment(dir, "2"));
  plan.max_group_size = 12;
  plan.methods[0].overrides.push_back("env.group_size=12");  // the synthetic config's own k is 4
  auto group_at = [&](int64_t q) {
    return experiment_run_config(plan, plan.methods[0], q, 0).get_int("env.group_size", 0);
  };
  CHECK(group_at(48) == 12);
  CHECK(group_at(32) == 8);
  CHECK(group_at(12) == 12);
  plan.max_group_size = 6;
  CHECK(group_at(48) == 6);
  // A method configured with k = 1 (ng) keeps it.
  plan.methods[0].overrides.push_back("env.group_size=1");
  CHECK(group_at(32) == 1);
}

TEST_CASE("a method that switches kinds over its file drops the old kinds' keys, as --set does") {
  // noseq over a drlih file: the file's policy.hidden is a key of the recurrent policy only, which
  // nothing would read once the hashing layer replaces it.
  const auto dir = test::scratch_dir("experiment-kinds");
  std::ofstream(dir + "/synthetic.ini") << test::synthetic_config(8, 4, 4).to_ini();
  std::ofstream(dir + "/experiment.ini")
      << "[experiment]\ncode_lengths = 8\nmethods = noseq\nplots = false\n"
         "[method.noseq]\nconfig = synthetic.ini\n"
         "set = agent.kind=noseq policy.kind=hashing-layer learner.kind=supervised train.steps=2 eval.batch_size=32\n";
  const auto plan = plan_of(dir + "/experiment.ini");
  std::vector<std::string> notices;
  const Config config = experiment_run_config(plan, plan.methods[0], 8, 0, &notices);
  CHECK_FALSE(config.peek("policy.hidden"));
  REQUIRE(notices.size() == 1);
  CHECK_THAT(notices[0], Catch::Contains("dropped policy.hidden"));
  const auto results = run_experiment(plan, dir + "/out");
  REQUIRE(results.size() == 1);
  CHECK(results[0]["steps"] == 2);
}

TEST_CASE("an experiment file that names a method without a config is an error naming the key") {
  const auto dir = test::scratch_dir("experiment-bad");
  std::ofstream(dir + "/e.ini") << "[experiment]\nmethods = x\n";
  CHECK_THROWS_WITH(plan_of(dir + "/e.ini"), Catch::Contains("method.x.config"));
  std::ofstream(dir + "/f.ini") << "[experiment]\nmethods = x\ntypo = 1\n[method.x]\nconfig = a.ini\n";
  CHECK_THROWS_WITH(plan_of(dir + "/f.ini"), Catch::Contains("experiment.typo"));
}

TEST_CASE("an experiment plots each method's learning curve against episodes and seconds, its seeds' band shaded") {
  const auto dir = test::scratch_dir("experiment-curves");
  std::ofstream(dir + "/synthetic.ini") << test::synthetic_config(8, 4, 4).to_ini();
  std::ofstream(dir + "/classic.ini") << test::synthetic_data_config(8, 4, 4).to_ini();
  std::ofstream(dir + "/experiment.ini")
      << "[experiment]\ncode_lengths = 8\nseeds = 0,1\nmethods = drlih,lsh\n"
         "[method.drlih]\nconfig = synthetic.ini\nset = train.steps=4 train.curve_every=2 eval.batch_size=32\n"
         "[method.lsh]\nconfig = classic.ini\nset = agent.kind=lsh\n";
  const auto out = dir + "/out";
  run_experiment(plan_of(dir + "/experiment.ini"), out);
  CHECK_THAT(read_file(out + "/table.md"), Catch::Contains("plots/map_vs_episodes.png"));
  CHECK_THAT(read_file(out + "/table.md"), Catch::Contains("plots/map_vs_seconds.png"));
  // One curve, drlih's (lsh is fitted, it has none): episodes 2 and 4, each the mean of two seeds
  // between their lowest and highest.
  const std::string data = read_file(out + "/plots/map_vs_episodes.dat");
  CHECK_THAT(data, Catch::StartsWith("# drlih: x mean low high\n2 "));
  CHECK_THAT(data, Catch::Contains("\n4 "));
  CHECK(data.find("lsh") == std::string::npos);
  std::istringstream point(data.substr(data.find('\n') + 1));
  double x = 0, mean = 0, low = 0, high = 0;
  point >> x >> mean >> low >> high;
  CHECK(low <= mean);
  CHECK(mean <= high);
  // Against training seconds: the same two points, at increasing times.
  std::istringstream timed(read_file(out + "/plots/map_vs_seconds.dat"));
  std::string header;
  std::getline(timed, header);
  CHECK(header == "# drlih: x mean low high");
  double first = -1, second = -1, ignored = 0;
  timed >> first >> ignored >> ignored >> ignored >> second;
  CHECK(first > 0);
  CHECK(second > first);
}

TEST_CASE("an experiment run with --only but not its baseline leaves the comparison out with a note") {
  // It used to end after every run with "hashrl experiment: map::at", the table unwritten.
  const auto dir = test::scratch_dir("experiment-only");
  std::ofstream(dir + "/classic.ini") << test::synthetic_data_config(8, 4, 4).to_ini();
  std::ofstream(dir + "/experiment.ini") << "[experiment]\ncode_lengths = 8\nmethods = itq,lsh\nbaseline = lsh\n"
                                            "plots = false\n"
                                            "[method.itq]\nconfig = classic.ini\nset = agent.kind=itq\n"
                                            "[method.lsh]\nconfig = classic.ini\nset = agent.kind=lsh\n";
  const std::string command = "experiment --config " + dir + "/experiment.ini --out " + dir + "/out --only ";
  const auto [status, output] = test::run_hashrl(command + "itq");
  INFO(output);
  CHECK(status == 0);
  CHECK_THAT(output, Catch::Contains("leaves out the baseline 'lsh'"));
  CHECK_THAT(read_file(dir + "/out/table.md"), !Catch::Contains("P(a run beats"));
  const auto [both_status, both] = test::run_hashrl(command + "itq,lsh");
  INFO(both);
  CHECK(both_status == 0);
  CHECK_THAT(read_file(dir + "/out/table.md"), Catch::Contains("P(a run beats a run of lsh)"));
}

TEST_CASE("Ctrl-C stops hashrl experiment with the run in progress checkpointed, and the rerun resumes it") {
  const auto dir = test::scratch_dir("experiment-interrupted");
  std::ofstream(dir + "/synthetic.ini") << test::synthetic_config(8, 4, 4).to_ini();
  // More steps than any machine gets through before the signal lands, however loaded.
  std::ofstream(dir + "/experiment.ini") << "[experiment]\ncode_lengths = 8\nmethods = drlih\nplots = false\n"
                                            "[method.drlih]\nconfig = synthetic.ini\nset = train.steps=100000000\n";
  const std::vector<std::string> command = {"--threads", "1", "experiment", "--config", dir + "/experiment.ini",
                                            "--out", dir + "/out"};
  for (const std::string started : {"drlih-8b-s0: training", "drlih-8b-s0: resuming"}) {
    test::HashrlProcess experiment(command);
    REQUIRE(experiment.wait_for(started));  // printed once the signal is caught
    experiment.signal(SIGINT);
    const int status = experiment.wait();
    INFO(experiment.output());
    CHECK(status == 1);
    CHECK_THAT(experiment.output(), Catch::Contains("interrupted at step") &&
                                        Catch::Contains("run the same hashrl experiment command again"));
    CHECK(std::filesystem::exists(dir + "/out/runs/drlih-8b-s0/checkpoint.pt"));
  }
}

TEST_CASE("seed statistics: interquartile mean, probability of improvement and bootstrap intervals, by hand") {
  CHECK(interquartile_mean({5, 1, 3, 100}) == Approx(4.0));      // 1 and 100 trimmed
  CHECK(interquartile_mean({1, 2, 3}) == Approx(2.0));           // fewer than 4: the mean
  CHECK(interquartile_mean({0, 10, 2, 4, 3, 100, 1, 5}) == Approx(3.5));  // 2 trimmed each side: 2, 3, 4, 5
  CHECK_THROWS_WITH(interquartile_mean({}), Catch::Contains("no values"));
  CHECK(probability_of_improvement({2, 3}, {1, 1}) == Approx(1.0));
  CHECK(probability_of_improvement({1}, {1}) == Approx(0.5));
  CHECK(probability_of_improvement({1, 3}, {2}) == Approx(0.5));
  const auto mean = [](const std::vector<std::vector<double>>& s) { return interquartile_mean(s[0]); };
  const auto same = bootstrap_interval({{0.7, 0.7, 0.7}}, mean);
  CHECK((same.low == Approx(0.7) && same.high == Approx(0.7)));
  const std::vector<double> spread = {0.60, 0.65, 0.70, 0.72, 0.75};
  const auto ci = bootstrap_interval({spread}, mean);
  CHECK(ci.low < interquartile_mean(spread));
  CHECK(ci.high > interquartile_mean(spread));
  CHECK(ci.low >= 0.60);
  CHECK(ci.high <= 0.75);
  const auto again = bootstrap_interval({spread}, mean);  // a fixed seed: the same table twice
  CHECK((again.low == ci.low && again.high == ci.high));
}
