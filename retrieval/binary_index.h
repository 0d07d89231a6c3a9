#pragma once
// A searchable database of binary codes, FAISS-style: one small interface, implementations behind
// a factory string. Serving (top-k, range) and the ranking metrics (every item's distance) both
// go through it, so one index serves both and an approximate one can stand in for the exact one.
//
//   auto index = hashrl::make_binary_index("flat", 48);
//   index->add(db_codes);                     // 0/1 [N, 48]; ids 0 .. N-1
//   auto hits = index->search(query, 10);     // (distance, id) order
//
// Ranking order is (distance, id): equal distances keep database order, so results are
// deterministic and match the metrics (ranking_metrics.h).
#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hashrl {

struct Hit {
  int64_t id;
  int distance;
};

// The ranking order: nearer first, equal distances in id (database) order.
inline bool in_rank_order(const Hit& a, const Hit& b) {
  return a.distance != b.distance ? a.distance < b.distance : a.id < b.id;
}

class BinaryIndex {
 public:
  virtual ~BinaryIndex() = default;

  // What make_binary_index builds this index from ("flat", "BHash4x12", ...).
  virtual std::string description() const = 0;
  virtual int64_t bits() const = 0;
  virtual int64_t size() const = 0;
  // Appends codes (0/1 or +-1, [n, bits()]); they get the ids size() .. size() + n - 1. Throws
  // naming the shape when the code length differs.
  virtual void add(const torch::Tensor& codes) = 0;
  // Item `id`'s code, 0/1 uint8 [bits()]; throws naming the id when there is no such item.
  virtual torch::Tensor code(int64_t id) const = 0;

  // The exact distances from one packed query (a PackedBits row of bits() bits, packed_codes.h) to
  // the items [begin, end), in id order. This is what everything else is computed from; the
  // range lets callers keep their scratch small enough for the cache.
  virtual void distances(const uint64_t* query, int64_t begin, int64_t end, uint16_t* out) const = 0;

  // The k nearest items to a query code (0/1 or +-1, [bits()]); fewer when the index is smaller.
  // The default counts by distance over distances() (distances take bits() + 1 values, so
  // nothing is sorted): O(size) time and memory. Thread-safe when distances() is.
  virtual std::vector<Hit> search(const torch::Tensor& query, int64_t k) const;
  // search() for each row of `queries` ([n, bits()]), in parallel over the queries. Same results,
  // query by query; an index may do better than one scan per query (the flat index scans the
  // database once per block of queries, in cache-sized chunks).
  virtual std::vector<std::vector<Hit>> search_many(const torch::Tensor& queries, int64_t k) const;
  // Every item within Hamming distance `radius` of the query.
  virtual std::vector<Hit> range_search(const torch::Tensor& query, int64_t radius) const;

  // Whether search() returns the true k nearest in (distance, id) order; an approximate index
  // may miss some.
  virtual bool exact() const { return true; }
};

// An index from its description: "flat" or "exact" (ours: XOR + popcount over every item,
// flat_index.h), or a FAISS binary factory string — "BFlat", "BIVF<lists>", "BHNSW<M>",
// "BHash<b>", "BHash<n>x<b>" (faiss_index.h). Throws naming the description and the known ones.
std::unique_ptr<BinaryIndex> make_binary_index(const std::string& description, int64_t bits);

}  // namespace hashrl
