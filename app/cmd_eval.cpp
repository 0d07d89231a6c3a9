// hashrl eval: score any codes with the retrieval metrics, so codes from other tools are measured
// the same way as hashrl's own.
#include <iostream>

#include "cli.h"
#include "hashrl/common/error.h"
#include "hashrl/common/npy.h"
#include "hashrl/retrieval/flat_index.h"
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
  const auto qc = pack_codes(load_npy(path("query-codes")), path("query-codes"));
  auto dc = pack_codes(load_npy(path("db-codes")), path("db-codes"));
  const auto ql_raw = load_npy(path("query-labels")), dl_raw = load_npy(path("db-labels"));
  // Class ids on both sides must share one label width, or 1-hot vectors would not line up.
  const int64_t width = std::max(label_width(ql_raw, path("query-labels")), label_width(dl_raw, path("db-labels")));
  const auto ql = pack_labels(ql_raw, path("query-labels"), ql_raw.dim() == 1 ? width : 0);
  const auto dl = pack_labels(dl_raw, path("db-labels"), dl_raw.dim() == 1 ? width : 0);
  if (qc.bits != dc.bits)
    fail("'{}' holds {}-bit codes but '{}' holds {}-bit codes", path("query-codes"), qc.bits, path("db-codes"), dc.bits);
  if (qc.rows != ql.rows)
    fail("'{}' holds {} codes but '{}' holds {} labels", path("query-codes"), qc.rows, path("query-labels"), ql.rows);
  if (dc.rows != dl.rows)
    fail("'{}' holds {} codes but '{}' holds {} labels", path("db-codes"), dc.rows, path("db-labels"), dl.rows);
  if (ql.bits != dl.bits)
    fail("'{}' has {} label columns but '{}' has {}", path("query-labels"), ql.bits, path("db-labels"), dl.bits);

  const auto metrics = evaluate_retrieval(qc, ql, FlatBinaryIndex(std::move(dc)), dl, settings.metrics);
  auto report = to_json(metrics);
  if (vm.count("plots")) {
    PlotOptions plot;
    plot.format = settings.plot_format;
    report["plots"] = plot_metrics(metrics, vm["plots"].as<std::string>(), plot);
  }
  std::cout << (vm.count("json") ? report.dump(2) + "\n" : to_text(metrics));
  return 0;
}

}  // namespace hashrl::cli
