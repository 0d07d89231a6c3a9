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
  // Fewer distinct codes than 1% of code_capacity(items, bits), or more than half the bits
  // constant: rankings are decided by ties, so read the tie-aware MAP.
  bool collapsed = false;
};

// How many different codes `items` codes of `bits` bits can take: min(items, 2^bits). The collapse
// threshold is relative to it, not to the items alone, because short codes cannot be all distinct:
// 49,000 images at 12 bits share at most 4,096 codes, and a healthy 12-bit run on CIFAR-10 used
// 128-418 of them (docs/results.md), which a threshold of 490 (1% of the items) called collapsed.
// A hasher that gives each of 10 classes one code is still flagged from 10 bits on; were it perfect,
// the flag's advice would be harmless, as its tie-aware and index-order MAP would agree.
int64_t code_capacity(int64_t items, int64_t bits);

// `codes`: 0/1 or +-1, [n, q].
CodeStats code_stats(const torch::Tensor& codes);
nlohmann::json to_json(const CodeStats& stats);

}  // namespace hashrl
