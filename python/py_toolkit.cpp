// The rest of the toolkit from Python: training runs, retrieval evaluation, data sets, trained runs
// and the whole-config checks.
#include <pybind11/stl.h>

#include "bindings.h"
#include "hashrl/common/allocator.h"
#include "hashrl/common/error.h"
#include "hashrl/data/data_source.h"
#include "hashrl/retrieval/code_stats.h"
#include "hashrl/retrieval/flat_index.h"
#include "hashrl/retrieval/packed_codes.h"
#include "hashrl/retrieval/plots.h"
#include "hashrl/retrieval/report.h"
#include "hashrl/serve/trained_run.h"
#include "hashrl/testing/conformance.h"
#include "hashrl/train/check_config.h"
#include "hashrl/train/stop_on_signal.h"
#include "hashrl/train/trainer.h"
#include "py_env.h"

namespace hashrl::python {

namespace {

py::object to_python(const nlohmann::json& value) {
  return py::module_::import("json").attr("loads")(value.dump());
}

// A trained run with its database held in an exact index, for search().
struct Run {
  explicit Run(const std::string& dir) : run(dir), index(pack_codes(run.db_codes(), dir + "/codes/db_codes.npy")) {}
  TrainedRun run;
  FlatBinaryIndex index;
};

// (distances int32 [n, k], ids int64 [n, k]) of the k nearest database items of each code [n, q];
// rows shorter than k (a database smaller than k) are padded with distance -1 and id -1.
py::tuple search(const Run& r, const torch::Tensor& codes, int64_t k) {
  if (k < 1) fail("search: k must be at least 1, got {}", k);
  const auto queries = codes.dim() == 1 ? codes.unsqueeze(0) : codes;
  if (queries.dim() != 2 || queries.size(1) != r.index.bits())
    fail("search: codes must be [n, {}] or [{}], got {}", r.index.bits(), r.index.bits(), codes.sizes());
  auto distances = torch::full({queries.size(0), k}, -1, torch::kInt32);
  auto ids = torch::full({queries.size(0), k}, -1, torch::kInt64);
  {
    py::gil_scoped_release release;
    const auto cpu = queries.cpu();
    for (int64_t i = 0; i < cpu.size(0); ++i) {
      const auto hits = r.index.search(cpu[i], k);
      for (size_t j = 0; j < hits.size(); ++j) {
        distances[i][static_cast<int64_t>(j)] = hits[j].distance;
        ids[i][static_cast<int64_t>(j)] = hits[j].id;
      }
    }
  }
  return py::make_tuple(distances, ids);
}

}  // namespace

void bind_toolkit(py::module_& m) {
  m.def("train", [](const py::object& config, const std::string& out, const py::object& overrides, bool resume) {
        Config c;
        if (resume) {
          if (!config.is_none()) fail("train: resume=True takes the config from {}/config.ini; pass config=None", out);
          c = Config::from_file(out + "/config.ini");
          if (!overrides.is_none()) c = to_config(py::str(c.to_ini()), overrides);
        } else {
          c = to_config(config, overrides);
        }
        nlohmann::json report;
        {
          py::gil_scoped_release release;
          keep_freed_memory();
          Trainer trainer(c, out);
          if (resume && !trainer.resume()) fmt::print(stderr, "no checkpoint in {} yet: training from step 0\n", out);
          {
            const StopOnSignal stop_on_signal(trainer);
            trainer.train();
          }
          report = trainer.evaluate();
        }
        return to_python(report);
      }, py::arg("config") = py::none(), py::kw_only(), py::arg("out"), py::arg("overrides") = py::none(),
      py::arg("resume") = false,
      R"(Trains and evaluates a run, as `hashrl train` does, into the folder `out` (config.ini,
metrics.jsonl, checkpoint.pt, codes/, report.json); returns the report as a dict. Ctrl-C
checkpoints and raises. resume=True continues the run in `out` from its checkpoint.)");

  m.def("evaluate", [](const torch::Tensor& query_codes, const torch::Tensor& db_codes, const torch::Tensor& query_labels,
                       const torch::Tensor& db_labels, int64_t topk, int64_t radius, const std::vector<int64_t>& precision_at,
                       const std::optional<std::string>& plots, const std::string& plot_format) {
        // The arguments go through [eval]'s reader, checked against the same ranges as its keys.
        Config flags;
        flags.set("eval.topk", std::to_string(topk), "topk=");
        flags.set("eval.radius", std::to_string(radius), "radius=");
        flags.set("eval.precision_at", fmt::format("{}", fmt::join(precision_at, ",")), "precision_at=");
        flags.set("eval.plot_format", plot_format, "plot_format=");
        const auto settings = EvalSettings::from_config(ConfigSection(flags, "eval"));
        RetrievalInputNames names;
        names.query_codes = "query_codes";
        names.query_labels = "query_labels";
        names.db_codes = "db_codes";
        names.db_labels = "db_labels";
        nlohmann::json report;
        {
          py::gil_scoped_release release;
          const auto db = db_codes.cpu(), db_label_rows = db_labels.cpu();  // one copy each from a GPU
          const auto metrics =
              evaluate_retrieval(query_codes.cpu(), query_labels.cpu(), db, db_label_rows, settings.metrics, names);
          report = to_json(metrics);
          report["database_codes"] = to_json(code_stats(db, db_label_rows));
          if (plots) {
            PlotOptions plot;
            plot.format = settings.plot_format;
            report["plots"] = plot_metrics(metrics, *plots, plot);
          }
        }
        return to_python(report);
      }, // By name only: the C++ evaluate_retrieval takes (query codes, query labels, db codes, db labels),
         // and two tensors swapped between the orders are computed without an error when shapes fit.
      py::kw_only(), py::arg("query_codes"), py::arg("db_codes"), py::arg("query_labels"), py::arg("db_labels"),
      py::arg("topk") = 0, py::arg("radius") = 2, py::arg("precision_at") = std::vector<int64_t>{1, 10, 100, 500, 1000},
      py::arg("plots") = py::none(), py::arg("plot_format") = "png",
      R"(The retrieval metrics of `hashrl eval --json` as a dict: codes 0/1 or +-1 [n, q], labels as
class ids [n] or multi-hot [n, L], every tensor passed by name. topk > 0 adds MAP@topk; plots names a folder for the curves.)");

  m.def("load_data", [](const py::object& config, const py::object& overrides) {
        const Config c = to_config(config, overrides);
        LoadedData loaded;
        {
          py::gil_scoped_release release;
          loaded = load_data(ConfigSection(c, "data"));
        }
        c.check_all_used({"data"});
        return to_python(loaded);
      }, py::arg("config") = py::none(), py::arg("overrides") = py::none(),
      R"(The data set of the config's [data] section and its protocol split, as a dict:
"images" uint8 [N, C, H, W] (or "features" float [N, D]), "labels" multi-hot uint8 [N, L],
and the int64 index tensors "query", "train" and "database".)");

  py::class_<Run>(m, "Run", "A finished training run, loaded to encode new items and search its database.")
      .def("encode", [](Run& r, const torch::Tensor& items) {
             py::gil_scoped_release release;
             return r.run.encode_items(items);
           }, py::arg("items"), "raw items like the data set's, [N, ...] -> uint8 codes [N, q]")
      .def("encode_features", [](Run& r, const torch::Tensor& features) {
             py::gil_scoped_release release;
             return r.run.encode_features(features);
           }, py::arg("features"), "encoder outputs [N, D] -> uint8 codes [N, q]")
      .def("search", &search, py::arg("codes"), py::arg("k") = 10,
           "(distances, ids) of the k nearest database items to each code, exact, in (distance, id) order")
      .def_property_readonly("db_codes", [](const Run& r) { return r.run.db_codes(); })
      .def_property_readonly("db_labels", [](const Run& r) { return r.run.db_labels(); })
      .def_property_readonly("spec", [](const Run& r) { return r.run.spec(); })
      .def_property_readonly("info", [](const Run& r) { return to_python(r.run.describe()); });
  m.def("load_run", [](const std::string& dir) {
        py::gil_scoped_release release;
        return std::make_unique<Run>(dir);
      }, py::arg("dir"), "a run folder that `hashrl train` or hashrl.train wrote");

  m.def("check_config", [](const py::object& config, const py::object& overrides, uint64_t seed) {
        const Config c = to_config(config, overrides);
        RunSettings::from_config(c);  // as `hashrl check`: the run-level values too, before the data
        py::gil_scoped_release release;
        return check_config(c, seed);
      }, py::arg("config"), py::arg("overrides") = py::none(), py::arg("seed") = 0,
      "every conformance check that applies to what the config builds (`hashrl check`)");
}

}  // namespace hashrl::python
