// hashrl index build: a run's database codes (and any extra codes) indexed once into a file that
// `hashrl serve --index FILE` loads, so that a large database is not re-indexed at every start.
#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli.h"
#include "hashrl/common/error.h"
#include "hashrl/common/npy.h"
#include "hashrl/retrieval/index_file.h"
#include "hashrl/retrieval/packed_codes.h"

namespace hashrl::cli {
namespace {

// "BHash4x12" -> "run/index/BHash4x12.hidx"; characters a file name should not hold become '_'.
std::string default_index_path(const std::string& run_dir, const std::string& description) {
  std::string name = description;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != ',') c = '_';
  return run_dir + "/index/" + name + ".hidx";
}

torch::Tensor load_codes(const std::string& path, int64_t bits) {
  const auto codes = load_npy(path);
  if (codes.dim() != 2 || codes.size(1) != bits)
    fail("'{}' holds an array of shape {}; the run's codes are [N, {}]", path, codes.sizes(), bits);
  pack_codes(codes, "'" + path + "'");  // refuses values other than 0/1 or -1/+1, as eval does
  return codes;
}

int build(const std::vector<std::string>& args) {
  po::options_description options("hashrl index build");
  options.add_options()
      ("run", po::value<std::string>()->required(), "a finished `hashrl train` run folder (its codes/)")
      ("index", po::value<std::string>()->default_value("flat"),
       "flat (exact), or a FAISS binary index: BFlat, BIVF<lists>, BHNSW<M>, BHash<b>, BHash<n>x<b> (docs/serve.md)")
      ("codes", po::value<std::string>(), "more codes to index after the run's database, .npy [N, q] of 0/1 or +-1")
      ("labels", po::value<std::string>(), "their labels, .npy multi-hot [N, L] (default: none)")
      ("out", po::value<std::string>(), "the index file (default RUN/index/<index>.hidx)");
  po::variables_map vm;
  if (!parse("index build", args, options, vm, "--run DIR --index SPEC [--codes extra.npy [--labels l.npy]]")) return 0;
  const std::string run_dir = vm["run"].as<std::string>(), description = vm["index"].as<std::string>();
  auto codes = load_npy(run_dir + "/codes/db_codes.npy");
  auto labels = load_npy(run_dir + "/codes/db_labels.npy").to(torch::kUInt8);
  if (codes.dim() != 2 || labels.dim() != 2 || labels.size(0) != codes.size(0))
    fail("'{}/codes' holds codes {} and labels {}: not a run's database", run_dir, codes.sizes(), labels.sizes());
  if (vm.count("labels") && !vm.count("codes")) fail("--labels describes the --codes: give both");
  if (vm.count("codes")) {
    const auto extra = load_codes(vm["codes"].as<std::string>(), codes.size(1));
    torch::Tensor extra_labels = torch::zeros({extra.size(0), labels.size(1)}, torch::kUInt8);
    if (vm.count("labels")) {
      const std::string path = vm["labels"].as<std::string>();
      extra_labels = load_npy(path).to(torch::kUInt8);
      if (extra_labels.dim() != 2 || extra_labels.size(0) != extra.size(0) || extra_labels.size(1) != labels.size(1))
        fail("'{}' holds labels of shape {}; the codes need [{}, {}]", path, extra_labels.sizes(), extra.size(0),
             labels.size(1));
    }
    codes = torch::cat({codes.to(torch::kUInt8), (extra > 0).to(torch::kUInt8)});
    labels = torch::cat({labels, extra_labels});
  }
  const std::string out = vm.count("out") ? vm["out"].as<std::string>() : default_index_path(run_dir, description);
  if (std::filesystem::is_directory(out))
    fail("--out '{}' is a folder: give the index file's path, e.g. '{}/index.hidx'", out, out);
  const auto parent = std::filesystem::path(out).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);

  const auto start = std::chrono::steady_clock::now();
  auto index = make_binary_index(description, codes.size(1));
  index->add(codes);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  save_index_file(out, *index, labels);
  std::cout << fmt::format("wrote {}: {} {} codes of {} bits ({}), built in {:.1f} s; serve it with "
                           "`hashrl serve --run {} --index {}`",
                           out, index->size(), description, index->bits(), index->exact() ? "exact" : "approximate",
                           seconds, run_dir, out)
            << std::endl;
  return 0;
}

}  // namespace

int run_index(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << "usage: hashrl index build --run DIR --index SPEC [--codes extra.npy [--labels l.npy]] [--out FILE]\n"
                 "  build: index a run's database codes into a file for `hashrl serve --index FILE`\n";
    return args.empty() ? 1 : 0;
  }
  if (args[0] != "build") fail("unknown index command '{}'; known: build (hashrl index --help)", args[0]);
  return build(std::vector<std::string>(args.begin() + 1, args.end()));
}

}  // namespace hashrl::cli
