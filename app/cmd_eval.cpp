// hashrl eval: score any codes with the retrieval metrics, so codes from other tools are measured
// the same way as hashrl's own.
#include <iostream>

#include "cli.h"
#include "hashrl/common/error.h"
#include "hashrl/common/npy.h"
#include "hashrl/retrieval/code_stats.h"
#include "hashrl/retrieval/plots.h"
#include "hashrl/retrieval/report.h"
#include "hashrl/train/trainer.h"

namespace hashrl::cli {

int run_eval(const std::vector<std::string>& args) {
  po::options_description options("hashrl eval");
  options.add_options()
      ("query-codes", po::value<std::string>()->required(), "query codes .npy: 0/1 uint8 or +-1 int8/float [n, q]")
      ("db-codes", po::value<std::string>()->required(), "database codes .npy")
      ("query-labels", po::value<std::string>()->required(), "query labels .npy: class ids [n] or multi-hot [n, L]")
      ("db-labels", po::value<std::string>()->required(), "database labels .npy")
      ("topk", po::value<std::string>()->default_value("0"), "also report MAP@K (0: off)")
      ("radius", po::value<std::string>()->default_value("2"), "Hamming radius of the hash lookup")
      ("precision-at", po::value<std::string>()->default_value("1,10,100,500,1000"), "k values of precision@k")
      ("plots", po::value<std::string>(), "write the PR curve and precision@k plots to this folder")
      ("plot-format", po::value<std::string>()->default_value("png"), "png or svg")
      ("json", "print the report as JSON on stdout");
  po::variables_map vm;
  if (!parse("eval", args, options, vm,
             "--query-codes Q.npy --db-codes D.npy --query-labels QL.npy --db-labels DL.npy [--topk K] [--json]"))
    return 0;
  auto path = [&](const char* key) { return vm[key].as<std::string>(); };
  // The flags go through [eval]'s own reader, so that they are checked against the same ranges as
  // the config keys of `hashrl train`, before any file is read.
  Config flags;
  for (const auto& [flag, key] : {std::pair{"topk", "topk"}, {"radius", "radius"}, {"precision-at", "precision_at"},
                                  {"plot-format", "plot_format"}})
    flags.set(std::string("eval.") + key, path(flag), std::string("--") + flag);
  const EvalSettings settings = EvalSettings::from_config(ConfigSection(flags, "eval"));
  RetrievalInputNames names;
  names.query_codes = path("query-codes");
  names.query_labels = path("query-labels");
  names.db_codes = path("db-codes");
  names.db_labels = path("db-labels");
  const auto db_codes = load_npy(names.db_codes), db_labels = load_npy(names.db_labels);
  const auto metrics = evaluate_retrieval(load_npy(names.query_codes), load_npy(names.query_labels), db_codes,
                                          db_labels, settings.metrics, names);
  auto report = to_json(metrics);
  report["database_codes"] = to_json(code_stats(db_codes, db_labels));
  if (vm.count("plots")) {
    PlotOptions plot;
    plot.format = settings.plot_format;
    report["plots"] = plot_metrics(metrics, vm["plots"].as<std::string>(), plot);
  }
  if (vm.count("json")) {
    std::cout << report.dump(2) << "\n";
  } else {
    std::cout << to_text(metrics);
    if (const auto warning = collapse_warning(report["database_codes"]); !warning.empty()) std::cout << warning << "\n";
  }
  return 0;
}

}  // namespace hashrl::cli
