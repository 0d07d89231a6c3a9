#pragma once
// How varied a set of codes is. An agent whose codes collapsed onto a few values ranks by ties,
// and a MAP that breaks ties by database order then reads whatever the list's order puts first
// (issue 21: 49 distinct codes for 59,000 images, MAP 0.212 by index order, 0.173 tie-aware).
// The run report carries these figures and flags such a collapse.
#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <cstdint>
#include <string>

namespace hashrl {

struct CodeStats {
  int64_t items = 0, bits = 0;
  int64_t distinct = 0;        // distinct codes among the items
  double largest_share = 0;    // fraction of the items that share the most common code
  double largest_label_share = 0;  // fraction of the items that carry the most common label
  double bit_mean_min = 0, bit_mean_max = 0;  // the least and most often set bit, as a fraction
  int64_t constant_bits = 0;   // bits set in under 1% or over 99% of the items: they tell nothing
  // One code holds more than twice the most common label's share of the items, or more than half
  // the bits are constant: rankings are decided by ties between items of different labels.
  bool collapsed = false;
};

// Why the flag reads the labels and not the count of distinct codes: a hasher that gives each
// class a handful of codes ranks well with few of them (the main job: 109 codes for 69,000
// Fashion-MNIST items, MAP 0.765), while a collapsed one piles the classes onto a few codes. A code
// holding more than twice the largest label's share has, whatever label its items share, at most
// half of them carrying it. On the runs of docs/results.md (10 classes of 10% each): the collapsed
// ones (MAP 0.10-0.47, the index-order MAP up to 0.09 above it) put 32-100% of the items on one
// code or left more than half the bits constant; the others, good or poor, 9-12% on one code. One
// run lies between, and is flagged: a seed of the critic learner put 23% on one code (MAP 0.655,
// its other seeds 0.68 and 0.63), more than two classes' worth of items that its lookups tie.
//
// `codes`: 0/1 or +-1, [n, q]. `labels`: the items' class ids [n], or their labels as 0/1 [n, L]
// (one-hot or multi-label; the most common label is the column set on most rows).
CodeStats code_stats(const torch::Tensor& codes, const torch::Tensor& labels);
nlohmann::json to_json(const CodeStats& stats);

// The warning `hashrl train` and `hashrl eval` print under their figures for `to_json(stats)` (as
// report.json keeps it): one line naming the shares and constant bits; empty when the codes did not
// collapse.
std::string collapse_warning(const nlohmann::json& stats);

}  // namespace hashrl
