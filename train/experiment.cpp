#include "hashrl/train/experiment.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include "hashrl/common/error.h"
#include "hashrl/common/files.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/retrieval/plots.h"
#include "hashrl/train/kind_switch.h"
#include "hashrl/train/seed_statistics.h"
#include "hashrl/train/stop_on_signal.h"
#include "hashrl/train/trainer.h"

namespace hashrl {
namespace fs = std::filesystem;

namespace {

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// The largest divisor of q that is at most `limit`: equal action groups that cover q.
int64_t group_size_for(int64_t q, int64_t limit) {
  for (int64_t k = std::min(q, limit); k > 1; --k)
    if (q % k == 0) return k;
  return 1;
}

// The group size the config's env takes when none is set: the default its [env] keys declare (the
// experiment knows an env only through its registry entry), or 1 for an env that declares none.
int64_t declared_group_size(const Config& config) {
  const KeyTable* own = env_registry().keys(env_kind(config));
  const KeyDoc* declared = own ? own->find("group_size") : nullptr;
  return declared ? std::stoll(declared->fallback) : 1;
}

std::string run_name(const std::string& method, int64_t bits, uint64_t seed) {
  return fmt::format("{}-{}b-s{}", method, bits, seed);
}

// One run: reused when finished with the same config, resumed when interrupted, else trained.
nlohmann::json run_one(const Config& config, const std::string& dir, const std::string& label) {
  const std::string identity = config.to_ini();  // before anything reads it: the config as given
  const std::string identity_path = dir + "/experiment-run.ini";
  const bool same = fs::exists(identity_path) && read_file(identity_path) == identity;
  if (same && fs::exists(dir + "/report.json")) {
    std::cout << fmt::format("{}: finished earlier, reused ({})", label, dir) << std::endl;
    auto report = nlohmann::json::parse(read_file(dir + "/report.json"));
    report["reused"] = true;
    return report;
  }
  if (!same) remove_tree(dir);  // another config (or nothing): start afresh
  fs::create_directories(dir);
  write_file_atomic(identity_path, identity);
  Trainer trainer(config, dir);
  {
    // Ctrl-C or a scheduler's TERM checkpoints the run in progress, as in `hashrl train`; the same
    // command then reuses the finished runs and resumes this one. Set before the line below, which
    // tells a watcher (and a test) that a signal from then on is caught.
    const StopOnSignal stop_on_signal(trainer);
    if (fs::exists(trainer.checkpoint_path())) {
      std::cout << fmt::format("{}: resuming ({})", label, dir) << std::endl;
      trainer.resume();
    } else {
      std::cout << fmt::format("{}: training ({})", label, dir) << std::endl;
    }
    try {
      trainer.train();
    } catch (const Error&) {
      if (!trainer.stop_requested()) throw;
      fail("{}: interrupted at step {}, checkpointed in '{}'; run the same hashrl experiment command again to "
           "continue (finished runs are reused, this one resumes)",
           label, trainer.step(), dir);
    }
  }
  auto report = trainer.evaluate();
  report["reused"] = false;
  return report;
}

struct Cell {
  std::vector<double> map, map_index_order, precision_r2, seconds, distinct_codes, largest_code_percent;
  std::map<int64_t, std::vector<double>> curve;  // episodes -> each seed's curve_map (train.curve_every)
  std::map<int64_t, std::vector<double>> curve_seconds;  // episodes -> each seed's training seconds there
};

double mean_of(const std::vector<double>& values) {
  double mean = 0;
  for (const double v : values) mean += v / values.size();
  return mean;
}

// The learning-curve points of a run's metrics.jsonl, added to the cell.
void add_curve(const std::string& metrics_path, Cell& cell) {
  if (!fs::exists(metrics_path)) return;  // a closed-form run fitted elsewhere
  std::istringstream lines(read_file(metrics_path));
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"curve_map\"") == std::string::npos) continue;
    const auto record = nlohmann::json::parse(line);
    const auto episodes = record["episodes"].get<int64_t>();
    cell.curve[episodes].push_back(record["curve_map"].get<double>());
    if (record.contains("train_seconds"))  // runs from before it was logged have none
      cell.curve_seconds[episodes].push_back(record["train_seconds"].get<double>());
  }
}

using Curves = std::vector<std::pair<std::string, std::vector<std::pair<int64_t, double>>>>;

BandPoint band_of(double x, const std::vector<double>& values) {
  return {x, mean_of(values), *std::min_element(values.begin(), values.end()),
          *std::max_element(values.begin(), values.end())};
}

// Each method's curve over its seeds at the plan's longest code length (the mean, the band from the
// lowest seed to the highest), against episodes, or against training seconds (each point at its
// seeds' mean time; points some seed has no time for are left out). Methods without a curve
// (classic hashers, runs without train.curve_every) are left out.
std::vector<BandCurve> learning_curves(const ExperimentPlan& plan,
                                       const std::map<std::string, std::map<int64_t, Cell>>& cells, bool by_seconds) {
  std::vector<BandCurve> curves;
  for (const auto& method : plan.methods) {
    const auto& cell = cells.at(method.name).at(plan.code_lengths.back());
    std::vector<BandPoint> points;
    for (const auto& [episodes, maps] : cell.curve) {
      if (!by_seconds) {
        points.push_back(band_of(static_cast<double>(episodes), maps));
        continue;
      }
      const auto seconds = cell.curve_seconds.find(episodes);
      if (seconds != cell.curve_seconds.end() && seconds->second.size() == maps.size())
        points.push_back(band_of(mean_of(seconds->second), maps));
    }
    if (!points.empty()) curves.push_back({method.name, std::move(points)});
  }
  return curves;
}

std::string mean_text(const std::vector<double>& values, int digits) {
  if (values.empty()) return "-";
  const double mean = mean_of(values);
  if (values.size() == 1) return fmt::format("{:.{}f}", mean, digits);
  double var = 0;
  for (const double v : values) var += (v - mean) * (v - mean) / (values.size() - 1);
  return fmt::format("{:.{}f} ± {:.{}f}", mean, digits, std::sqrt(var), digits);
}

std::string table(const ExperimentPlan& plan, const std::map<std::string, std::map<int64_t, Cell>>& cells,
                  const std::string& title, std::vector<double> Cell::*field, int digits) {
  std::string out = "## " + title + "\n\n| method |";
  for (const auto q : plan.code_lengths) out += fmt::format(" {} bits |", q);
  out += "\n|---|";
  for (size_t i = 0; i < plan.code_lengths.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& method : plan.methods) {
    out += "| " + method.name + " |";
    for (const auto q : plan.code_lengths) out += " " + mean_text(cells.at(method.name).at(q).*field, digits) + " |";
    out += "\n";
  }
  return out + "\n";
}

// The interquartile mean of each method's MAP over its seeds, with its 95% bootstrap interval, and
// with a baseline each method's probability of improvement over it.
std::string robust_tables(const ExperimentPlan& plan, const std::map<std::string, std::map<int64_t, Cell>>& cells) {
  const auto header = [&](const std::string& title) {
    std::string out = "## " + title + "\n\n| method |";
    for (const auto q : plan.code_lengths) out += fmt::format(" {} bits |", q);
    out += "\n|---|";
    for (size_t i = 0; i < plan.code_lengths.size(); ++i) out += "---|";
    return out + "\n";
  };
  const auto iqm = [](const std::vector<std::vector<double>>& s) { return interquartile_mean(s[0]); };
  std::string out = header(
      "MAP, interquartile mean over seeds [95% bootstrap interval] (rliable; with fewer than 4 seeds the IQM is the mean)");
  for (const auto& method : plan.methods) {
    out += "| " + method.name + " |";
    for (const auto q : plan.code_lengths) {
      const auto& map = cells.at(method.name).at(q).map;
      const auto ci = bootstrap_interval({map}, iqm);
      out += fmt::format(" {:.4f} [{:.4f}, {:.4f}] |", interquartile_mean(map), ci.low, ci.high);
    }
    out += "\n";
  }
  out += "\n";
  if (plan.baseline.empty()) return out;
  out += header(fmt::format("P(a run beats a run of {}), by MAP [95% bootstrap interval]", plan.baseline));
  const auto improvement = [](const std::vector<std::vector<double>>& s) {
    return probability_of_improvement(s[0], s[1]);
  };
  for (const auto& method : plan.methods) {
    if (method.name == plan.baseline) continue;
    out += "| " + method.name + " |";
    for (const auto q : plan.code_lengths) {
      const auto& x = cells.at(method.name).at(q).map;
      const auto& y = cells.at(plan.baseline).at(q).map;
      const auto ci = bootstrap_interval({x, y}, improvement);
      out += fmt::format(" {:.2f} [{:.2f}, {:.2f}] |", probability_of_improvement(x, y), ci.low, ci.high);
    }
    out += "\n";
  }
  return out + "\n";
}

// Where the paper's ordering DRLIH > ng > noseq holds, by (tie-aware) MAP, for the methods of those names.
std::string ordering(const ExperimentPlan& plan, const std::map<std::string, std::map<int64_t, Cell>>& cells) {
  const std::vector<std::string> order = {"drlih", "ng", "noseq"};
  for (const auto& name : order)
    if (!cells.count(name)) return "";
  std::string out = "## The paper's ordering (drlih > ng > noseq, by MAP)\n\n";
  for (const auto q : plan.code_lengths) {
    std::vector<double> m;
    for (const auto& name : order) m.push_back(mean_of(cells.at(name).at(q).map));
    const bool holds = m[0] > m[1] && m[1] > m[2];
    out += fmt::format("- {} bits: {} (drlih {:.4f}, ng {:.4f}, noseq {:.4f})\n", q, holds ? "holds" : "does not hold",
                       m[0], m[1], m[2]);
  }
  return out + "\n";
}

const ExperimentPlan kDefaults;
KeyTable keys;
const auto kMethods = keys.list("methods", {}, "the methods, in table order (required)");
const auto kCodeLengths = keys.int_list("code_lengths", kDefaults.code_lengths, 1, kMaxCodeLength, "q of every run");
const auto kSeeds = keys.int_list("seeds", kDefaults.seeds, 0, INT64_MAX,
                                  "train.seed of every run; the table shows mean and std over them");
const auto kMaxGroupSize = keys.integer("max_group_size", kDefaults.max_group_size, 1, kMaxCodeLength,
                                        "k at q bits is the largest divisor of q up to this and up to the method's "
                                        "own env.group_size (32 bits: 8; ng keeps 1)");
const auto kSet = keys.text("set", "", "overrides for every run, space-separated section.key=value");
const auto kPlots = keys.flag("plots", kDefaults.plots, "MAP and precision within radius 2 against code length");
const auto kBaseline = keys.text("baseline", kDefaults.baseline,
                                 "a method to compare every other with: the probability that a run beats one of its "
                                 "runs, by MAP, with a 95% bootstrap interval (empty: none)");

KeyTable method_table;  // of each [method.NAME]
const auto kMethodConfig = method_table.text("config", "", "the run config, relative to the experiment file (required)");
const auto kMethodSet = method_table.text("set", "", "the method's own overrides");

}  // namespace

const KeyTable& experiment_keys() { return keys; }
const KeyTable& method_keys() { return method_table; }

ExperimentPlan ExperimentPlan::from_config(const Config& config, const std::string& base_dir) {
  ExperimentPlan plan;
  const ConfigSection section(config, "experiment");
  plan.code_lengths = kCodeLengths(section);
  plan.seeds = kSeeds(section);
  plan.max_group_size = kMaxGroupSize(section);
  plan.overrides = split_words(kSet(section));
  plan.plots = kPlots(section);
  plan.baseline = kBaseline(section);
  const auto names = kMethods(section);
  if (names.empty()) fail("config key '{}' names no method", section.key(kMethods.name()));
  if (!plan.baseline.empty() && std::find(names.begin(), names.end(), plan.baseline) == names.end())
    fail("config key '{}': '{}' is not one of the methods ({})", section.key(kBaseline.name()), plan.baseline,
         fmt::join(names, ", "));
  for (const auto& name : names) {
    const ConfigSection method(config, "method." + name);
    if (!method.has(kMethodConfig.name()))
      fail("method '{}' needs '{}' (the run config it trains)", name, method.key(kMethodConfig.name()));
    fs::path path = kMethodConfig(method);
    if (path.is_relative()) path = fs::path(base_dir) / path;
    plan.methods.push_back({name, path.lexically_normal().string(), split_words(kMethodSet(method))});
  }
  for (const auto q : plan.code_lengths)
    if (q < 1) fail("config key '{}': code lengths must be positive, got {}", section.key("code_lengths"), q);
  config.check_all_used();
  return plan;
}

Config experiment_run_config(const ExperimentPlan& plan, const ExperimentMethod& method, int64_t code_length,
                             uint64_t seed, std::vector<std::string>* notices) {
  Config config = Config::from_file(method.config_path);
  const auto kinds = kind_choices(config);
  for (const auto& o : plan.overrides) config.apply_override(o);
  for (const auto& o : method.overrides) config.apply_override(o);
  const auto dropped = drop_replaced_kind_keys(config, kinds);
  if (notices) notices->insert(notices->end(), dropped.begin(), dropped.end());
  const int64_t own_group = config.get_int("env.group_size", declared_group_size(config), 1);
  const std::string origin = "experiment";
  config.set("env.code_length", std::to_string(code_length), origin);
  config.set("env.group_size", std::to_string(group_size_for(code_length, std::min(own_group, plan.max_group_size))),
             origin);
  config.set("train.seed", std::to_string(seed), origin);
  return config;
}

nlohmann::json run_experiment(const ExperimentPlan& plan, const std::string& out_dir) {
  nlohmann::json results = nlohmann::json::array();
  std::map<std::string, std::map<int64_t, Cell>> cells;
  const size_t total = plan.methods.size() * plan.code_lengths.size() * plan.seeds.size();
  size_t done = 0;
  for (const auto& method : plan.methods)
    for (const auto q : plan.code_lengths)
      for (const auto seed : plan.seeds) {
        const auto name = run_name(method.name, q, static_cast<uint64_t>(seed));
        const auto label = fmt::format("[{}/{}] {}", ++done, total, name);
        std::vector<std::string> notices;
        auto config = experiment_run_config(plan, method, q, static_cast<uint64_t>(seed), &notices);
        if (q == plan.code_lengths.front() && seed == plan.seeds.front())  // the same for every run of the method
          for (const auto& notice : notices) std::cerr << method.name << ": " << notice << "\n";
        const auto report = run_one(config, out_dir + "/runs/" + name, label);
        const auto& metrics = report["metrics"];
        const double seconds = report["run"]["train_seconds"].get<double>() + report["run"]["eval_seconds"].get<double>();
        auto& cell = cells[method.name][q];
        cell.map.push_back(metrics["map_tie_aware"].get<double>());
        cell.map_index_order.push_back(metrics["map"].get<double>());
        if (report.contains("database_codes")) {  // runs reused from before it was reported have none
          cell.distinct_codes.push_back(report["database_codes"]["distinct_codes"].get<double>());
          cell.largest_code_percent.push_back(100 * report["database_codes"]["largest_code_share"].get<double>());
        }
        cell.precision_r2.push_back(metrics["precision_within_radius"].get<double>());
        cell.seconds.push_back(seconds);
        add_curve(out_dir + "/runs/" + name + "/metrics.jsonl", cell);
        results.push_back({{"method", method.name}, {"code_length", q}, {"seed", seed}, {"run", name},
                           {"map", metrics["map"]}, {"map_tie_aware", metrics["map_tie_aware"]},
                           {"precision_within_radius", metrics["precision_within_radius"]},
                           {"precision_at_k", metrics["precision_at_k"]},
                           {"precision_at_k_tie_aware", metrics.value("precision_at_k_tie_aware", nlohmann::json())},
                           {"steps", report["run"]["steps"]},
                           {"seconds", seconds}, {"reused", report["reused"]},
                           {"database_codes", report.value("database_codes", nlohmann::json())}});
        std::cout << fmt::format("{}: MAP {:.4f} (tie-aware), precision within radius 2 {:.4f}, {:.0f} s", label,
                                 cell.map.back(), cell.precision_r2.back(), seconds)
                  << std::endl;
      }

  std::string md = "# Results\n\nMethods as rows, code lengths as columns (mean ± sample std over seeds " +
                   fmt::format("{}", fmt::join(plan.seeds, ", ")) + "); every run in runs/.\n\n";
  md += table(plan, cells, "MAP (full database, tie-aware: the database's order cannot move it)", &Cell::map, 4);
  md += robust_tables(plan, cells);
  md += table(plan, cells, "MAP with ties by database index (as many papers rank; for comparison)",
              &Cell::map_index_order, 4);
  md += table(plan, cells, "Distinct database codes", &Cell::distinct_codes, 0);
  md += table(plan, cells,
              "The largest code's share of the database, % (a collapse above twice the most common label's share: "
              "rankings decided by ties between labels, docs/metrics.md)",
              &Cell::largest_code_percent, 1);
  md += table(plan, cells, "Precision within Hamming radius 2", &Cell::precision_r2, 4);
  md += table(plan, cells, "Wall time per run, seconds (training + encoding + evaluation)", &Cell::seconds, 1);
  md += ordering(plan, cells);
  if (plan.plots) {
    fs::create_directories(out_dir + "/plots");
    Curves map_curves, r2_curves;
    for (const auto& method : plan.methods) {
      map_curves.push_back({method.name, {}});
      r2_curves.push_back({method.name, {}});
      for (const auto q : plan.code_lengths) {
        map_curves.back().second.emplace_back(q, mean_of(cells[method.name][q].map));
        r2_curves.back().second.emplace_back(q, mean_of(cells[method.name][q].precision_r2));
      }
    }
    md += "![MAP](" + fs::path(plot_metric_vs_code_length(map_curves, "MAP", out_dir + "/plots/map_vs_bits"))
                          .lexically_relative(out_dir).string() + ")\n";
    const std::string curve_metric =
        fmt::format("MAP on the curve sample of the database, {} bits (band: lowest to highest seed)", plan.code_lengths.back());
    for (const bool by_seconds : {false, true}) {
      const auto curves = learning_curves(plan, cells, by_seconds);
      if (curves.empty()) continue;
      const std::string x = by_seconds ? "training seconds" : "episodes (env batches rolled out)";
      const std::string stem = by_seconds ? "/plots/map_vs_seconds" : "/plots/map_vs_episodes";
      md += "![MAP against " + x + "](" +
            fs::path(plot_bands(curves, x, curve_metric, out_dir + stem)).lexically_relative(out_dir).string() + ")\n";
    }
    md += "![precision within radius 2](" +
          fs::path(plot_metric_vs_code_length(r2_curves, "precision within Hamming radius 2",
                                              out_dir + "/plots/precision_r2_vs_bits"))
              .lexically_relative(out_dir).string() + ")\n";
  }
  write_file_atomic(out_dir + "/table.md", md);
  write_file_atomic(out_dir + "/results.json", results.dump(2) + "\n");
  return results;
}

}  // namespace hashrl
