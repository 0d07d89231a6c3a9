#pragma once
// The exact index: the codes packed 64 to a word, one XOR + popcount per item and query word.
// Specialised at compile time for codes of one word (q <= 64), the common case.
#include "hashrl/retrieval/binary_index.h"
#include "hashrl/retrieval/packed_codes.h"

namespace hashrl {

class FlatBinaryIndex : public BinaryIndex {
 public:
  explicit FlatBinaryIndex(int64_t bits);
  // Takes packed codes as they are (the metrics pack once and index without a copy).
  explicit FlatBinaryIndex(PackedBits codes);

  int64_t bits() const override { return codes_.bits; }
  int64_t size() const override { return codes_.rows; }
  void add(const torch::Tensor& codes) override;
  void distances(const uint64_t* query, int64_t begin, int64_t end, uint16_t* out) const override;

  const PackedBits& codes() const { return codes_; }

 private:
  PackedBits codes_;
};

}  // namespace hashrl
