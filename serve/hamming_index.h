#pragma once
// Top-k search over a database of binary codes by Hamming distance: one XOR + popcount pass, then
// a counting pass by distance (distances take only q + 1 values), so no list of N is sorted.
// Results come in (distance, database id) order — the ranking order of the retrieval metrics.
#include <torch/types.h>

#include <vector>

#include "hashrl/retrieval/packed_codes.h"

namespace hashrl {

struct Hit {
  int64_t id;
  int distance;
};

class HammingIndex {
 public:
  // codes: 0/1 [N, q] (any integer or float type).
  explicit HammingIndex(const torch::Tensor& codes);

  int64_t size() const { return codes_.rows; }
  int64_t bits() const { return codes_.bits; }
  // The k nearest codes to `code` (0/1 [q]); fewer when the database is smaller. Thread-safe.
  std::vector<Hit> search(const torch::Tensor& code, int64_t k) const;

 private:
  PackedBits codes_;
};

}  // namespace hashrl
