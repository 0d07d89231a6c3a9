#pragma once
// How varied a set of codes is. An agent whose codes collapsed onto a few values ranks by ties,
// and a MAP that breaks ties by database order then reads whatever the list's order puts first
// (issue 21: 49 distinct codes for 59,000 images, MAP 0.212 by index order, 0.173 tie-aware).
// The run report carries these figures and flags such a collapse.
#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <cstdint>

namespace hashrl {

struct CodeStats {
  int64_t items = 0, bits = 0;
  int64_t distinct = 0;        // distinct codes among the items
  double largest_share = 0;    // fraction of the items that share the most common code
  double bit_mean_min = 0, bit_mean_max = 0;  // the least and most often set bit, as a fraction
  int64_t constant_bits = 0;   // bits set in under 1% or over 99% of the items: they tell nothing
  // Fewer than one distinct code per 100 items, or more than half the bits constant: rankings are
  // decided by ties, so read the tie-aware MAP.
  bool collapsed = false;
};

// `codes`: 0/1 or +-1, [n, q].
CodeStats code_stats(const torch::Tensor& codes);
nlohmann::json to_json(const CodeStats& stats);

}  // namespace hashrl
