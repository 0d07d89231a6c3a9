#pragma once
// The exact index: the codes packed 64 to a word, one XOR + popcount per item and query word.
// Specialised at compile time for codes of one word (q <= 64), the common case.
#include "hashrl/retrieval/binary_index.h"
#include "hashrl/retrieval/packed_codes.h"
#include "hashrl/retrieval/popcount.h"

namespace hashrl {

class FlatBinaryIndex final : public BinaryIndex {
 public:
  explicit FlatBinaryIndex(int64_t bits);
  // Takes packed codes as they are (the metrics pack once and index without a copy).
  explicit FlatBinaryIndex(PackedBits codes);

  std::string description() const override { return "flat"; }
  int64_t bits() const override { return codes_.bits; }
  int64_t size() const override { return codes_.rows; }
  void add(const torch::Tensor& codes) override;
  torch::Tensor code(int64_t id) const override;
  // One pass keeping the k best so far (no per-item distance array): the same answer as
  // BinaryIndex::search, three times as fast on a million codes.
  std::vector<Hit> search(const torch::Tensor& query, int64_t k) const override;
  std::vector<std::vector<Hit>> search_many(const torch::Tensor& queries, int64_t k) const override;
  void distances(const uint64_t* query, int64_t begin, int64_t end, uint16_t* out) const override;

  const PackedBits& codes() const { return codes_; }

  // Calls visit(id, distance) for the items [begin, end) in id order: the one loop that distances()
  // runs, and that the ranking metrics run with their own visitor fused into it (one pass over
  // the database instead of two) when they know the index is flat.
  template <class Visit>
  void scan(const uint64_t* query, int64_t begin, int64_t end, Visit&& visit) const {
    if (codes_.words == 1)
      scan_words<1>(query, begin, end, visit);
    else
      scan_words<0>(query, begin, end, visit);
  }

 private:
  template <int Words, class Visit>
  void scan_words(const uint64_t* query, int64_t begin, int64_t end, Visit& visit) const {
    const int64_t words = Words ? Words : codes_.words;
    const uint64_t* row = codes_.row(begin);
    for (int64_t j = begin; j < end; ++j, row += words) visit(j, hamming_distance(query, row, words));
  }

  PackedBits codes_;
};

}  // namespace hashrl
