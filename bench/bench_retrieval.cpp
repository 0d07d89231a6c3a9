// Full-ranking MAP on 1,000 x 59,000 random 48-bit codes (10 classes) against the floor measured
// in the same run: one XOR + popcount pass over all pairs on the same threads. Target: within 4x.
// Also: peak memory, which must grow with the database, not with queries x database.
// Usage: bench_retrieval [--threads N] [--repeats R]
#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cstring>

#include "hashrl/common/allocator.h"
#include "hashrl/common/threads.h"
#include "hashrl/retrieval/flat_index.h"
#include "hashrl/retrieval/ranking_metrics.h"
#include "hamming_floor.h"
#include "peak_memory.h"

namespace {

template <typename Fn>
double best_seconds(int repeats, Fn&& fn) {
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 0, repeats = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--repeats")) repeats = std::atoi(argv[i + 1]);
  }
  threads = hashrl::configure_threads(threads);
  hashrl::keep_freed_memory();
  const int64_t nq = 1000, bits = 48, classes = 10;
  auto gen = at::detail::createCPUGenerator(0);
  fmt::print("retrieval benchmark: {} queries, {} bits, {} classes, {} threads, best of {}\n", nq, bits, classes,
             threads, repeats);
  fmt::print("{:>9} | {:>9} | {:>9} | {:>6} | {:>12} | {:>14}\n", "database", "MAP s", "floor s", "ratio", "peak RSS MiB",
             "packed db MiB");
  for (const int64_t ndb : {59000, 118000}) {
    const auto qc = hashrl::pack_codes(at::randint(0, 2, {nq, bits}, gen).to(torch::kUInt8));
    const auto dc = hashrl::pack_codes(at::randint(0, 2, {ndb, bits}, gen).to(torch::kUInt8));
    const auto ql = hashrl::pack_labels(at::randint(0, classes, {nq}, gen), "q", classes);
    const auto dl = hashrl::pack_labels(at::randint(0, classes, {ndb}, gen), "d", classes);
    uint64_t checksum = 0;
    double map = 0;
    const hashrl::FlatBinaryIndex index(dc);
    const double floor = best_seconds(repeats, [&] { checksum += hashrl::bench::hamming_floor(qc, dc); });
    const double full = best_seconds(repeats, [&] { map = hashrl::evaluate_retrieval(qc, ql, index, dl).map; });
    fmt::print("{:>9} | {:>9.4f} | {:>9.4f} | {:>5.2f}x | {:>12.1f} | {:>14.2f}   (MAP {:.4f}, checksum {})\n", ndb,
               full, floor, full / floor, peak_rss_mib(), (dc.bytes() + dl.bytes()) / 1048576.0, map, checksum % 1000);
  }
}
