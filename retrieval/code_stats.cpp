#include "hashrl/retrieval/code_stats.h"

#include <torch/torch.h>

#include <algorithm>
#include <unordered_map>

#include "hashrl/retrieval/packed_codes.h"

namespace hashrl {
namespace {

// A packed row as a key: its words, hashed by mixing.
struct RowKey {
  const uint64_t* words;
  int64_t count;
  bool operator==(const RowKey& other) const { return std::equal(words, words + count, other.words); }
};
struct RowHash {
  size_t operator()(const RowKey& key) const {
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (int64_t i = 0; i < key.count; ++i) h = (h ^ key.words[i]) * 0xff51afd7ed558ccdULL;
    return static_cast<size_t>(h ^ (h >> 33));
  }
};

}  // namespace

int64_t code_capacity(int64_t items, int64_t bits) {
  // 2^63 and up do not fit in int64_t; no database comes near them anyway.
  if (bits >= 63) return items;
  return std::min(items, int64_t{1} << bits);
}

CodeStats code_stats(const torch::Tensor& codes) {
  const auto packed = pack_codes(codes, "codes");
  CodeStats stats;
  stats.items = packed.rows;
  stats.bits = packed.bits;
  if (packed.rows == 0) return stats;
  std::unordered_map<RowKey, int64_t, RowHash> counts;
  counts.reserve(static_cast<size_t>(packed.rows));
  int64_t largest = 0;
  for (int64_t i = 0; i < packed.rows; ++i) largest = std::max(largest, ++counts[RowKey{packed.row(i), packed.words}]);
  stats.distinct = static_cast<int64_t>(counts.size());
  stats.largest_share = static_cast<double>(largest) / packed.rows;
  const auto means = (codes.detach().to(torch::kCPU).to(torch::kFloat64) > 0).to(torch::kFloat64).mean(0);
  stats.bit_mean_min = means.min().item<double>();
  stats.bit_mean_max = means.max().item<double>();
  stats.constant_bits = ((means < 0.01) | (means > 0.99)).sum().item<int64_t>();
  stats.collapsed =
      stats.distinct * 100 < code_capacity(stats.items, stats.bits) || stats.constant_bits * 2 > stats.bits;
  return stats;
}

nlohmann::json to_json(const CodeStats& s) {
  return {{"items", s.items},
          {"distinct_codes", s.distinct},
          {"largest_code_share", s.largest_share},
          {"bit_mean_min", s.bit_mean_min},
          {"bit_mean_max", s.bit_mean_max},
          {"constant_bits", s.constant_bits},
          {"collapsed", s.collapsed}};
}

}  // namespace hashrl
