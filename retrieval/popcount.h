#pragma once
// The two word-level primitives everything in retrieval/ is built on, over rows of PackedBits
// (packed_codes.h). With -mpopcnt (CMake sets it on x86-64) __builtin_popcountll is one
// instruction; without it, a library call per word.
#include <cstdint>

namespace hashrl {

// Hamming distance of two packed codes of `words` words. Called with a compile-time `words`, as
// the specialised loops do, the compiler unrolls it.
inline int hamming_distance(const uint64_t* a, const uint64_t* b, int64_t words) {
  int d = 0;
  for (int64_t w = 0; w < words; ++w) d += __builtin_popcountll(a[w] ^ b[w]);
  return d;
}

// Whether two packed label sets share a label.
inline bool shares_label(const uint64_t* a, const uint64_t* b, int64_t words) {
  for (int64_t w = 0; w < words; ++w)
    if (a[w] & b[w]) return true;
  return false;
}

}  // namespace hashrl
