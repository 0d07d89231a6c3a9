// Search at scale (issue 19): each binary index on N random-plus-clustered codes, side by side in
// one run — build time, memory, queries/s one at a time and in a batch, recall@100 against the
// exact answer — with FAISS's own exhaustive scan (IndexBinaryFlat, its batched search) as the
// reference the exact scan is held to.
//
// Codes: half the database in clusters (N / 1000 centres, each bit flipped with probability 0.05,
// like the codes of one class), half uniform; queries are fresh draws from the clusters.
// recall@100 counts the hits within the exact 100th distance (capped at 100): ties at that
// distance are equally right.
//
// Usage: bench_index [--n 1000000] [--bits 64] [--threads 2] [--single 200] [--batch 1000]
//                    [--indexes "flat;BFlat;BHash4x16,nflip=1;BIVF1024,nprobe=8;BHNSW32"]
#include <faiss/IndexBinaryFlat.h>
#include <fmt/format.h>
#include <malloc.h>
#include <torch/torch.h>

#include <chrono>
#include <cstring>
#include <sstream>

#include "hashrl/common/allocator.h"
#include "hashrl/common/threads.h"
#include "hashrl/retrieval/binary_index.h"
#include "hashrl/retrieval/packed_codes.h"
#include "peak_memory.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Rows: with probability `clustered` a centre with bits flipped at rate 0.05, else uniform bits.
torch::Tensor draw_codes(int64_t n, const torch::Tensor& centres, double clustered, at::Generator& gen) {
  const int64_t bits = centres.size(1);
  auto out = torch::empty({n, bits}, torch::kUInt8);
  for (int64_t start = 0; start < n; start += 1 << 20) {  // in slices: the float draws stay small
    const int64_t m = std::min<int64_t>(1 << 20, n - start);
    const auto which = at::randint(0, centres.size(0), {m}, gen);
    const auto flips = at::bernoulli(torch::full({m, bits}, 0.05), gen).to(torch::kUInt8);
    const auto near = centres.index_select(0, which).bitwise_xor(flips);
    const auto uniform = at::randint(0, 2, {m, bits}, gen).to(torch::kUInt8);
    const auto take_near = at::bernoulli(torch::full({m, 1}, clustered), gen).to(torch::kBool);
    out.slice(0, start, start + m).copy_(torch::where(take_near, near, uniform));
  }
  return out;
}

double recall_at(const std::vector<hashrl::Hit>& got, const std::vector<hashrl::Hit>& exact) {
  if (exact.empty()) return 1;
  const int last = exact.back().distance;
  int64_t within = 0;
  for (const auto& hit : got) within += hit.distance <= last;
  return static_cast<double>(std::min<int64_t>(within, static_cast<int64_t>(exact.size()))) / exact.size();
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, separator);)
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t n = 1'000'000, bits = 64, single = 200, batch = 1000;
  int threads = 2;
  std::string indexes;  // default below: multi-index hashing on four substrings of bits / 4
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--n") n = std::stoll(value);
    else if (flag == "--bits") bits = std::stoll(value);
    else if (flag == "--threads") threads = std::stoi(value);
    else if (flag == "--single") single = std::stoll(value);
    else if (flag == "--batch") batch = std::stoll(value);
    else if (flag == "--indexes") indexes = value;
    else { fmt::print(stderr, "unknown flag {}\n", flag); return 2; }
  }
  if (indexes.empty())
    indexes = fmt::format("flat;BFlat;BHash4x{0};BHash4x{0},nflip=1;BIVF1024,nprobe=8;BHNSW32", bits / 4);
  threads = hashrl::configure_threads(threads);
  hashrl::keep_freed_memory();  // as the hashrl tool does
  auto gen = at::detail::createCPUGenerator(19);
  const auto centres = at::randint(0, 2, {std::max<int64_t>(1, n / 1000), bits}, gen).to(torch::kUInt8);
  const auto db = draw_codes(n, centres, 0.5, gen);
  const auto queries = draw_codes(batch, centres, 1.0, gen);
  const int64_t k = 100;
  fmt::print("binary indexes: {} codes of {} bits ({} clusters + uniform), {} single queries, a batch of {}, "
             "k = {}, {} threads\n\n", n, bits, centres.size(0), single, batch, k, threads);

  // The exact answers, and the exact scan's times, first: every other row is compared with them.
  std::vector<std::vector<hashrl::Hit>> exact;
  double flat_single_qps = 0;
  fmt::print("| index | exact | build s | memory MiB | single q/s | batch q/s | recall@100 | single vs flat |\n");
  fmt::print("|---|---|---|---|---|---|---|---|\n");
  for (const auto& description : split(indexes, ';')) {
    // Resident memory the index holds once built: freed temporaries (the codes' conversions) are
    // handed back to the system first on both sides.
    malloc_trim(0);
    const double rss_before = current_rss_mib();
    auto start = std::chrono::steady_clock::now();
    auto index = hashrl::make_binary_index(description, bits);
    index->add(db);
    const double build = seconds_since(start);
    malloc_trim(0);
    const double memory = current_rss_mib() - rss_before;

    index->search(queries[single], k);  // pages the trimmed heap back in before timing
    start = std::chrono::steady_clock::now();
    std::vector<std::vector<hashrl::Hit>> one_by_one;
    for (int64_t q = 0; q < single; ++q) one_by_one.push_back(index->search(queries[q], k));
    const double single_qps = single / seconds_since(start);
    start = std::chrono::steady_clock::now();
    const auto batched = index->search_many(queries, k);
    const double batch_qps = batch / seconds_since(start);
    if (exact.empty()) {
      if (!index->exact()) { fmt::print(stderr, "the first index must be exact (flat)\n"); return 2; }
      exact = batched;
      flat_single_qps = single_qps;
    }
    double recall = 0;
    for (int64_t q = 0; q < batch; ++q) recall += recall_at(batched[q], exact[q]);
    fmt::print("| {} | {} | {:.1f} | {:.0f} | {:.0f} | {:.0f} | {:.3f} | {:.1f}x |\n", description,
               index->exact() ? "yes" : "no", build, memory, single_qps, batch_qps, recall / batch,
               single_qps / flat_single_qps);
    std::fflush(stdout);
  }

  // FAISS's own exhaustive scan, batched as FAISS does it (its top-k heap, no tie order): what
  // the exact scan's batches are held to (within 1.5x).
  faiss::IndexBinaryFlat faiss_flat(static_cast<int>((bits + 7) / 8 * 8));
  auto to_bytes = [&](const torch::Tensor& codes) {
    const auto packed = hashrl::pack_codes(codes);
    std::vector<uint8_t> out(static_cast<size_t>(packed.rows * faiss_flat.code_size));
    for (int64_t r = 0; r < packed.rows; ++r)
      for (int64_t b = 0; b < faiss_flat.code_size; ++b)
        out[r * faiss_flat.code_size + b] = static_cast<uint8_t>(packed.row(r)[b / 8] >> (8 * (b % 8)));
    return out;
  };
  const auto db_bytes = to_bytes(db), query_bytes = to_bytes(queries);
  faiss_flat.add(n, db_bytes.data());
  std::vector<int32_t> distances(static_cast<size_t>(batch * k));
  std::vector<faiss::IndexBinary::idx_t> ids(static_cast<size_t>(batch * k));
  auto start = std::chrono::steady_clock::now();
  faiss_flat.search(batch, query_bytes.data(), k, distances.data(), ids.data());
  const double faiss_batch_qps = batch / seconds_since(start);
  start = std::chrono::steady_clock::now();
  for (int64_t q = 0; q < single; ++q)
    faiss_flat.search(1, query_bytes.data() + q * faiss_flat.code_size, k, distances.data(), ids.data());
  const double faiss_single_qps = single / seconds_since(start);
  fmt::print("| FAISS IndexBinaryFlat, called directly | yes | | | {:.0f} | {:.0f} | | {:.1f}x |\n", faiss_single_qps,
             faiss_batch_qps, faiss_single_qps / flat_single_qps);
  fmt::print("\npeak RSS {:.0f} MiB\n", peak_rss_mib());
}
