#pragma once
// Binary codes and label sets packed 64 to a word, so that a Hamming distance is XOR + popcount
// and "shares a label" is AND != 0 (popcount.h).
#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hashrl {

// Rows of `bits` bits each, row-major in `words` 64-bit words per row; bit j of a row lives in
// word j / 64 at position j % 64. Unused high bits are zero.
struct PackedBits {
  int64_t rows = 0, bits = 0, words = 0;
  std::vector<uint64_t> data;
  const uint64_t* row(int64_t i) const { return data.data() + i * words; }
  size_t bytes() const { return data.size() * sizeof(uint64_t); }
};

// Codes as 0/1 (uint8, bool, int or float) or as +-1 (int8 or float): [n, q] -> packed.
// Throws naming `origin` on other values or shapes.
PackedBits pack_codes(const torch::Tensor& codes, const std::string& origin = "codes");
// One packed row back to a 0/1 uint8 code [bits]: pack_codes' inverse, row by row.
torch::Tensor unpack_code(const uint64_t* row, int64_t bits);

// Labels as class ids [n] (0 <= id) or multi-hot [n, L] -> packed label sets.
// `num_labels` > 0 fixes L for class ids (so query and database agree); 0 takes max id + 1.
PackedBits pack_labels(const torch::Tensor& labels, const std::string& origin = "labels",
                       int64_t num_labels = 0);

// Number of label columns that a labels tensor implies (class ids: max + 1). Throws naming
// `origin` when that is past kMaxLabels (common/limits.h), before anything that size is allocated.
int64_t label_width(const torch::Tensor& labels, const std::string& origin = "labels");

}  // namespace hashrl
