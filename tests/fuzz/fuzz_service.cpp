#include "fuzz_service.h"

#include <filesystem>
#include <fstream>

#include "hashrl/train/trainer.h"
#include "scratch.h"

namespace hashrl::fuzz {
namespace {

std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

// An IDX pair of n images of 8 x 8 whose brightness follows their class (10 classes).
void write_idx(const std::string& dir, const std::string& prefix, uint32_t n) {
  std::string images = be32(0x803) + be32(n) + be32(8) + be32(8), labels = be32(0x801) + be32(n);
  for (uint32_t i = 0; i < n; ++i) {
    labels.push_back(static_cast<char>(i % 10));
    for (int p = 0; p < 64; ++p) images.push_back(static_cast<char>((i % 10) * 24 + (p * 7 + i) % 16));
  }
  std::ofstream(dir + "/" + prefix + "-images-idx3-ubyte", std::ios::binary) << images;
  std::ofstream(dir + "/" + prefix + "-labels-idx1-ubyte", std::ios::binary) << labels;
}

std::string make_run() {
  const std::filesystem::path root = test::scratch_dir("fuzz-service");  // removed when the fuzzer exits
  std::filesystem::create_directories(root / "data");
  write_idx((root / "data").string(), "train", 100);
  write_idx((root / "data").string(), "t10k", 30);
  Config config = Config::from_string("[data]\nkind = mnist\npath = " + (root / "data").string() +
                                      "\nqueries_per_label = 2\ntrain_per_label = 5\n"
                                      "[env]\ndevice = cpu\ncode_length = 16\ngroup_size = 16\nbatch_size = 4\n"
                                      "[encoder]\nkind = identity\n[agent]\nkind = lsh\n[eval]\nbatch_size = 64\n",
                                      "fuzz run");
  Trainer trainer(config, (root / "run").string());
  trainer.train();
  trainer.evaluate();
  return (root / "run").string();
}

}  // namespace

QueryService& service() {
  static QueryService instance(std::make_shared<TrainedRun>(make_run()), ServiceLimits{});
  return instance;
}

}  // namespace hashrl::fuzz

// Built before the first input: a failure here is the harness's, and must not pass for an input's
// expected hashrl::Error.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  hashrl::fuzz::service();
  return 0;
}
