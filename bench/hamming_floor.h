#pragma once
// The floor that evaluate_retrieval is measured against: one XOR + popcount pass over all
// query x database pairs, on the same threads and with the same one-word specialisation, storing
// nothing. Returns a checksum so that nothing is optimised out.
#include <ATen/Parallel.h>

#include <mutex>

#include "hashrl/retrieval/packed_codes.h"
#include "hashrl/retrieval/popcount.h"

namespace hashrl::bench {

template <int CodeWords>
uint64_t floor_pass(const PackedBits& qc, const PackedBits& dc) {
  const int64_t cw = CodeWords ? CodeWords : dc.words;
  std::mutex merge;
  uint64_t checksum = 0;
  at::parallel_for(0, qc.rows, 16, [&](int64_t begin, int64_t end) {
    uint64_t local = 0;
    for (int64_t i = begin; i < end; ++i) {
      const uint64_t* q = qc.row(i);
      const uint64_t* d = dc.data.data();
      for (int64_t j = 0; j < dc.rows; ++j) local += hamming_distance(q, d + j * cw, cw);
    }
    std::lock_guard<std::mutex> lock(merge);
    checksum += local;
  });
  return checksum;
}

inline uint64_t hamming_floor(const PackedBits& qc, const PackedBits& dc) {
  return dc.words == 1 ? floor_pass<1>(qc, dc) : floor_pass<0>(qc, dc);
}

}  // namespace hashrl::bench
