// The hashrl tool as a user runs it: subcommands, exit codes and error messages.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "hashrl/common/files.h"
#include "hashrl/common/npy.h"
#include "hashrl/retrieval/index_file.h"
#include "paths.h"
#include "support.h"

using namespace hashrl;

namespace {

std::string write_config(const std::string& dir, const std::string& extra = "") {
  const std::string path = dir + "/run.ini";
  std::ofstream(path) << test::synthetic_config().to_ini() << extra;
  return path;
}

}  // namespace

TEST_CASE("hashrl --help lists the subcommands, and an unknown one fails") {
  const auto [status, out] = test::run_hashrl("--help");
  CHECK(status == 0);
  for (const char* command : {"data", "train", "eval", "check-env"}) CHECK(out.find(command) != std::string::npos);
  CHECK(test::run_hashrl("frobnicate").first != 0);
  CHECK(test::run_hashrl("--threads 0 data").first != 0);
}

TEST_CASE("a plugin that does not load is an error naming it and the loader's reason") {
  // (tests/plugin_out_of_tree.sh loads real ones.)
  const auto missing = test::run_hashrl("--plugin /nowhere/libmine.so list");
  CHECK(missing.first == 1);
  CHECK(missing.second.find("plugin '/nowhere/libmine.so' did not load") != std::string::npos);
  CHECK(missing.second.find("No such file") != std::string::npos);
  const auto bare = test::run_hashrl("--plugin libmine.so list");
  CHECK(bare.second.find("write ./NAME") != std::string::npos);
  // Not a shared library at all.
  const auto text = test::run_hashrl(std::string("--plugin ") + paths::kSourceDir + "/README.md list");
  CHECK(text.first == 1);
  CHECK(text.second.find("README.md' did not load") != std::string::npos);
  // A real library cut short: dlopen would map past the end of the file and die of SIGBUS.
  const auto dir = test::scratch_dir("plugins");
  const auto whole = read_file("/usr/lib/x86_64-linux-gnu/libz.so.1");
  test::write_bytes(dir + "/libcut.so", whole.substr(0, 3000));
  const auto cut = test::run_hashrl("--plugin " + dir + "/libcut.so list");
  CHECK(cut.first == 1);
  CHECK(cut.second.find("truncated?") != std::string::npos);
  // A library that loads but registers no component is not a plugin.
  const auto nothing = test::run_hashrl("--plugin /usr/lib/x86_64-linux-gnu/libz.so.1 list");
  CHECK(nothing.first == 1);
  CHECK(nothing.second.find("registered nothing") != std::string::npos);
}

TEST_CASE("docs/config.md is what hashrl train --help-config generates from the key tables") {
  const auto [status, out] = test::run_hashrl("train --help-config");
  REQUIRE(status == 0);
  for (const char* section : {"[data]", "[env]", "[encoder]", "[reward]", "[sampler]", "[agent]", "[policy]",
                              "[learner]", "[optim]", "[train]", "[eval]", "feature_cache_dir", "code_length"})
    CHECK(out.find(section) != std::string::npos);
  // A default, range or doc line changed in the code and not in the docs (or the reverse) fails
  // here: regenerate with `build/hashrl train --help-config > docs/config.md`.
  const auto docs = read_file(std::string(paths::kSourceDir) + "/docs/config.md");
  if (docs != out) {
    const auto mismatch = std::mismatch(docs.begin(), docs.end(), out.begin(), out.end());
    const auto at = static_cast<size_t>(mismatch.first - docs.begin());
    FAIL("docs/config.md differs from the generated page at byte " << at << ": docs have '"
         << docs.substr(at, 80) << "', the code generates '" << out.substr(at, 80)
         << "'; regenerate with: build/hashrl train --help-config > docs/config.md");
  }
}

TEST_CASE("hashrl list prints every registry with its names and one-line docs") {
  const auto [status, out] = test::run_hashrl("list");
  REQUIRE(status == 0);
  for (const char* entry : {"data reader (data.kind)", "image-list", "split protocol (data.protocol)", "nus-wide",
                            "HashEnv-v0", "vgg19_bn", "triplet miner (reward.miner)", "semihard", "sampler.kind",
                            "drlih-authors", "hasher", "sdh", "hashing-layer", "learner.kind", "optim.kind", "adam"})
    CHECK(out.find(entry) != std::string::npos);
}

TEST_CASE("a stray argument, an empty config file and --nproc past 4 x the cores are errors that say why") {
  const auto [list_status, list_out] = test::run_hashrl("list bogus");
  CHECK(list_status != 0);
  CHECK(list_out.find("unexpected argument 'bogus'") != std::string::npos);
  const auto dir = test::scratch_dir("cli-refusals");
  test::write_bytes(dir + "/empty.ini", "# nothing set\n");
  for (const std::string& command : {std::string("train --out ") + dir + "/run", std::string("check-env")}) {
    const auto [status, out] = test::run_hashrl(command + " --config " + dir + "/empty.ini");
    INFO(command << ": " << out);
    CHECK(status != 0);
    CHECK(out.find("sets no key") != std::string::npos);
  }
  const auto [nproc_status, nproc_out] =
      test::run_hashrl("train --config " + std::string(paths::kSourceDir) + "/tests/synthetic.ini --out " + dir +
                       "/ranks --nproc 100000");
  CHECK(nproc_status != 0);
  CHECK(nproc_out.find("4 x the") != std::string::npos);
  const auto [resume_status, resume_out] = test::run_hashrl("train --resume " + dir + "/run --config " +
                                                            std::string(paths::kSourceDir) + "/tests/synthetic.ini");
  CHECK(resume_status != 0);
  CHECK(resume_out.find("would be ignored") != std::string::npos);
}

TEST_CASE("hashrl eval scores .npy codes and names the file at fault") {
  const std::string dir = test::scratch_dir("cli-eval");
  save_npy(dir + "/q.npy", torch::tensor({{0, 0}}, torch::kUInt8));
  save_npy(dir + "/d.npy", torch::tensor({{0, 0}, {1, 1}, {0, 1}, {0, 0}}, torch::kUInt8));
  save_npy(dir + "/ql.npy", torch::tensor({0}, torch::kInt64));
  save_npy(dir + "/dl.npy", torch::tensor({0, 1, 0, 1}, torch::kInt64));
  const std::string files = "--query-codes " + dir + "/q.npy --db-codes " + dir + "/d.npy --query-labels " + dir +
                            "/ql.npy --db-labels " + dir + "/dl.npy";
  const auto [status, out] = test::run_hashrl("eval " + files + " --json --plots " + dir + "/plots");
  CHECK(status == 0);
  CHECK(out.find("\"map\": 0.8333") != std::string::npos);
  CHECK(out.find("\"precision_at_k_tie_aware\"") != std::string::npos);
  CHECK(out.find("\"distinct_codes\": 3") != std::string::npos);  // the database codes' statistics, as in report.json
  // k, precision by index order, tie-aware: the first place holds either item at distance 0.
  CHECK_THAT(read_file(dir + "/plots/precision_at_k.dat"), Catch::Contains("\n1 1 0.5\n"));
  for (const char* plot : {"/plots/pr_curve.png", "/plots/precision_at_k.png"}) {
    INFO(plot);
    CHECK(std::filesystem::exists(dir + plot));
    CHECK(std::filesystem::file_size(dir + plot) > 1000);
  }
  CHECK(test::run_hashrl("eval " + files + " --plots " + dir + "/svg --plot-format svg").first == 0);
  CHECK(std::filesystem::exists(dir + "/svg/pr_curve.svg"));
  CHECK_THAT(read_file(dir + "/svg/precision_at_k.svg"), Catch::Contains("Precision@k"));  // '@' is not markup

  // Four labels on one code: the text names the collapse, as hashrl train's summary does.
  save_npy(dir + "/same.npy", torch::zeros({4, 2}, torch::kUInt8));
  save_npy(dir + "/four.npy", torch::tensor({0, 1, 2, 3}, torch::kInt64));
  const auto [s0, o0] = test::run_hashrl("eval --query-codes " + dir + "/q.npy --db-codes " + dir + "/same.npy --query-labels " +
                                         dir + "/ql.npy --db-labels " + dir + "/four.npy");
  INFO(o0);
  CHECK(s0 == 0);
  CHECK_THAT(o0, Catch::Contains("warning: the codes collapsed — one code holds 100% of the 4 database items"));
  CHECK_THAT(test::run_hashrl("eval " + files).second, Catch::Contains("MAP, tie-aware") && !Catch::Contains("collapsed"));

  save_npy(dir + "/d3.npy", torch::tensor({{0, 0, 1}, {1, 1, 1}, {0, 1, 1}, {0, 0, 1}}, torch::kUInt8));
  auto [s1, o1] = test::run_hashrl("eval --query-codes " + dir + "/q.npy --db-codes " + dir + "/d3.npy --query-labels " +
                                   dir + "/ql.npy --db-labels " + dir + "/dl.npy");
  CHECK(s1 != 0);
  CHECK(o1.find("d3.npy") != std::string::npos);
  save_npy(dir + "/dl3.npy", torch::tensor({0, 1, 0}, torch::kInt64));
  auto [s2, o2] = test::run_hashrl("eval --query-codes " + dir + "/q.npy --db-codes " + dir + "/d.npy --query-labels " +
                                   dir + "/ql.npy --db-labels " + dir + "/dl3.npy");
  CHECK(s2 != 0);
  CHECK(o2.find("dl3.npy") != std::string::npos);
  save_npy(dir + "/dl2d.npy", torch::zeros({4, 2, 2}, torch::kUInt8));
  auto [s3, o3] = test::run_hashrl("eval --query-codes " + dir + "/q.npy --db-codes " + dir + "/d.npy --query-labels " +
                                   dir + "/ql.npy --db-labels " + dir + "/dl2d.npy");
  CHECK(s3 != 0);
  CHECK(o3.find("dl2d.npy") != std::string::npos);
  CHECK(test::run_hashrl("eval --query-codes " + dir + "/q.npy").first != 0);  // required options
}

TEST_CASE("hashrl check-env passes a good config and fails a bad one with the key named") {
  const std::string dir = test::scratch_dir("cli-check");
  CHECK(test::run_hashrl("check-env --config " + write_config(dir)).first == 0);
  const auto [status, out] = test::run_hashrl("check-env --config " + write_config(dir) + " --set env.group_size=3");
  CHECK(status != 0);
  CHECK(out.find("env.group_size") != std::string::npos);
  const auto [s2, o2] = test::run_hashrl("check-env --config " + write_config(dir, "[reward]\nmargn = 2\n"));
  CHECK(s2 != 0);
  CHECK(o2.find("reward.margn") != std::string::npos);
}

TEST_CASE("hashrl data prints the split, and a missing file is named") {
  const std::string dir = test::scratch_dir("cli-data");
  const auto [status, out] = test::run_hashrl("data --config " + write_config(dir));
  CHECK(status == 0);
  CHECK(out.find("queries 20, training 80, database 140") != std::string::npos);
  const auto [s2, o2] = test::run_hashrl("data --set data.kind=npy --set data.path=/nope/f.npy --set data.labels=/nope/l.npy");
  CHECK(s2 != 0);
  CHECK(o2.find("/nope/f.npy") != std::string::npos);
}

TEST_CASE("a kind switched by --set drops the replaced kind's keys with a notice, and --unset removes a key") {
  const std::string dir = test::scratch_dir("cli-kinds");
  const std::string path = dir + "/npy.ini";
  std::ofstream(path) << "[data]\nkind = npy\npath = /nope/f.npy\nlabels = /nope/l.npy\nqueries_per_label = 10\n"
                         "train_per_label = 20\n";
  // The file's npy keys would be unread by the synthetic reader: dropped, the others kept.
  const auto [status, out] = test::run_hashrl("data --config " + path + " --set data.kind=synthetic");
  INFO(out);
  CHECK(status == 0);
  CHECK_THAT(out, Catch::Contains("dropped data.path") && Catch::Contains("dropped data.labels") &&
                      Catch::Contains("queries 100, training 200"));
  // Set by hand without switching the kind, a stray key is still an error...
  const std::string small = " --set data.queries_per_label=10 --set data.train_per_label=20";
  const auto stray = test::run_hashrl("data --set data.kind=synthetic --set data.root=x" + small);
  CHECK(stray.first != 0);
  CHECK_THAT(stray.second, Catch::Contains("data.root"));
  // ...that --unset removes; unsetting a key that is not set names it.
  std::ofstream(dir + "/stray.ini") << "[data]\nkind = synthetic\nroot = x\n";
  CHECK(test::run_hashrl("data --config " + dir + "/stray.ini --unset data.root" + small).first == 0);
  const auto typo = test::run_hashrl("data --config " + dir + "/stray.ini --unset data.rot" + small);
  CHECK(typo.first != 0);
  CHECK_THAT(typo.second, Catch::Contains("data.rot"));
}

TEST_CASE("hashrl train writes a run folder and resumes it") {
  const std::string dir = test::scratch_dir("cli-train");
  const auto [status, out] = test::run_hashrl("train --config " + write_config(dir) + " --set train.steps=3 --out " +
                                              dir + "/run --json");
  INFO(out);
  CHECK(status == 0);
  CHECK(out.find("\"map\"") != std::string::npos);
  // The summary line ends on the largest configured precision@k, tie-aware first, as MAP.
  const auto [s2, o2] = test::run_hashrl("train --resume " + dir + "/run --set train.steps=5 --set eval.precision_at=50,5");
  INFO(o2);
  CHECK(s2 == 0);
  CHECK(o2.find("resumed at step 3") != std::string::npos);
  CHECK_THAT(o2, Catch::Contains("MAP ") && Catch::Contains(", precision@50 ") &&
                     Catch::Contains("(tie-aware; by database index") && !Catch::Contains("precision@5 "));
}

TEST_CASE("hashrl index build writes an index file of the run's codes and any extra ones") {
  const std::string dir = test::scratch_dir("cli-index");
  REQUIRE(test::run_hashrl("train --config " + write_config(dir) + " --set train.steps=2 --out " + dir + "/run").first ==
          0);
  const auto db = load_npy(dir + "/run/codes/db_codes.npy");
  const auto [status, out] = test::run_hashrl("index build --run " + dir + "/run --index BHash2x4");
  INFO(out);
  REQUIRE(status == 0);
  CHECK(out.find("approximate") != std::string::npos);
  const auto built = load_index_file(dir + "/run/index/BHash2x4.hidx");
  CHECK(built.index->size() == db.size(0));
  CHECK(built.index->description() == "BHash2x4");
  CHECK(torch::equal(built.labels, load_npy(dir + "/run/codes/db_labels.npy").to(torch::kUInt8)));

  const auto extra = torch::randint(0, 2, {7, db.size(1)}).to(torch::kUInt8);
  save_npy(dir + "/extra.npy", extra);
  const auto [s2, o2] = test::run_hashrl("index build --run " + dir + "/run --codes " + dir + "/extra.npy --out " +
                                         dir + "/with-extra.hidx");
  INFO(o2);
  REQUIRE(s2 == 0);
  const auto grown = load_index_file(dir + "/with-extra.hidx");
  CHECK(grown.index->size() == db.size(0) + 7);
  CHECK(grown.index->exact());
  CHECK(torch::equal(grown.index->code(db.size(0) + 6), extra[6]));
  CHECK(grown.labels.slice(0, db.size(0)).sum().item<int64_t>() == 0);  // extra codes carry no labels

  save_npy(dir + "/wrong.npy", torch::zeros({2, db.size(1) + 1}));
  const auto [s3, o3] = test::run_hashrl("index build --run " + dir + "/run --codes " + dir + "/wrong.npy");
  CHECK(s3 != 0);
  CHECK(o3.find("wrong.npy") != std::string::npos);
  save_npy(dir + "/threes.npy", torch::full({2, db.size(1)}, 3, torch::kUInt8));  // eval refuses these too
  const auto [s4, o4] = test::run_hashrl("index build --run " + dir + "/run --codes " + dir + "/threes.npy");
  CHECK(s4 != 0);
  CHECK(o4.find("0/1 or -1/+1") != std::string::npos);
  // A folder as --out is refused by name, and leaves no temporary file behind.
  const auto [s5, o5] = test::run_hashrl("index build --run " + dir + "/run --index flat --out " + dir);
  CHECK(s5 != 0);
  CHECK(o5.find("is a folder") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + ".tmp"));
  const auto [s6, o6] = test::run_hashrl("serve --run " + dir + "/run --read-only --port 0 --index " + dir);
  CHECK(s6 != 0);
  CHECK(o6.find("is a folder") != std::string::npos);
  // A damaged index file is refused before anything of the run is read: here the run is missing.
  auto damaged = read_file(dir + "/with-extra.hidx");
  damaged[damaged.size() / 2] ^= 0x20;
  test::write_bytes(dir + "/damaged.hidx", damaged);
  const auto [s7, o7] = test::run_hashrl("serve --run " + dir + "/no-run --read-only --port 0 --index " + dir +
                                         "/damaged.hidx");
  CHECK(s7 != 0);
  CHECK(o7.find("damaged.hidx' is damaged") != std::string::npos);
  CHECK(test::run_hashrl("index rebuild").first != 0);
}

TEST_CASE("hashrl serve refuses to take writes off loopback without a token") {
  const std::string dir = test::scratch_dir("cli-serve-token");
  const auto [status, out] = test::run_hashrl("serve --run " + dir + " --host 0.0.0.0 --port 0");
  CHECK(status != 0);
  CHECK(out.find("--token-file") != std::string::npos);
  std::ofstream(dir + "/empty-token") << "  \n";
  const auto [s2, o2] = test::run_hashrl("serve --run " + dir + " --token-file " + dir + "/empty-token");
  CHECK(s2 != 0);
  CHECK(o2.find("empty-token") != std::string::npos);
}
