#pragma once
// What a FAISS binary index description may say, checked before FAISS sees it: FAISS's factory
// and its search parameters trust their numbers (BHNSW0 crashed, BIVF0 built an index whose
// every search failed, nflip=100 searched without end). Each kind and parameter has its range,
// some against the code length:
//
//   BFlat
//   BIVF<lists>       1 to 1,048,576 lists (and, once codes are added, at most one list per code)
//   BHNSW<M>          2 to 512 neighbours per node
//   BHash<b>          1 to min(q, 64) bits hashed
//   BHash<n>x<b>      n tables of b bits: n >= 1, 1 <= b <= 64, n b <= q
//   ,nprobe=P         BIVF: 1 to lists
//   ,nflip=F          BHash: 0 to b, and at most 2^20 buckets probed per table (sum of C(b, i), i <= F)
//   ,efSearch=E       BHNSW: 1 to 65,536
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hashrl {

struct FaissSpec {
  std::string factory;  // what index_binary_factory gets: "BIVF1024"
  std::vector<std::pair<std::string, int64_t>> parameters;  // ("nprobe", 16), in order
  int64_t ivf_lists = 0;                                     // BIVF<lists>; 0 for other kinds
};

// Parses and checks `description` for codes of `bits` bits; throws naming the description, the
// value and its range.
FaissSpec parse_faiss_spec(const std::string& description, int64_t bits);

}  // namespace hashrl
