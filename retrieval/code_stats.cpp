#include "hashrl/retrieval/code_stats.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "hashrl/common/error.h"
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

CodeStats code_stats(const torch::Tensor& codes, const torch::Tensor& labels) {
  const auto packed = pack_codes(codes, "codes");
  // The labels as the metrics read them: class ids or multi-hot, checked the same way.
  const auto label_sets = pack_labels(labels, "labels");
  if (label_sets.rows != packed.rows)
    fail("code statistics: {} label rows for {} codes; there must be one per code", label_sets.rows, packed.rows);
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
  std::vector<int64_t> carrying(static_cast<size_t>(label_sets.bits), 0);  // items carrying each label
  for (int64_t i = 0; i < label_sets.rows; ++i)
    for (int64_t j = 0; j < label_sets.bits; ++j) carrying[j] += (label_sets.row(i)[j / 64] >> (j % 64)) & 1;
  const int64_t most = carrying.empty() ? 0 : *std::max_element(carrying.begin(), carrying.end());
  stats.largest_label_share = static_cast<double>(most) / packed.rows;
  stats.collapsed = stats.largest_share > 2 * stats.largest_label_share || stats.constant_bits * 2 > stats.bits;
  return stats;
}

nlohmann::json to_json(const CodeStats& s) {
  return {{"items", s.items},
          {"bits", s.bits},
          {"distinct_codes", s.distinct},
          {"largest_code_share", s.largest_share},
          {"largest_label_share", s.largest_label_share},
          {"bit_mean_min", s.bit_mean_min},
          {"bit_mean_max", s.bit_mean_max},
          {"constant_bits", s.constant_bits},
          {"collapsed", s.collapsed}};
}

std::string collapse_warning(const nlohmann::json& s) {
  if (!s.at("collapsed").get<bool>()) return {};
  return fmt::format("warning: the codes collapsed — one code holds {:.0f}% of the {} database items (the most common "
                     "label {:.0f}%), {} of {} bits constant, {} distinct codes; rankings are decided by ties between "
                     "labels (docs/metrics.md)",
                     100 * s.at("largest_code_share").get<double>(), s.at("items").get<int64_t>(),
                     100 * s.at("largest_label_share").get<double>(), s.at("constant_bits").get<int64_t>(),
                     s.at("bits").get<int64_t>(), s.at("distinct_codes").get<int64_t>());
}

}  // namespace hashrl
