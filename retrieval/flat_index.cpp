#include "hashrl/retrieval/flat_index.h"

#include <torch/torch.h>

#include "hashrl/common/error.h"

namespace hashrl {
FlatBinaryIndex::FlatBinaryIndex(int64_t bits) {
  if (bits < 1 || bits > 65535) fail("a binary index needs 1 to 65535 bits, got {}", bits);
  codes_.bits = bits;
  codes_.words = (bits + 63) / 64;
}

FlatBinaryIndex::FlatBinaryIndex(PackedBits codes) : codes_(std::move(codes)) {
  if (codes_.bits < 1 || codes_.bits > 65535) fail("a binary index needs 1 to 65535 bits, got {}", codes_.bits);
}

void FlatBinaryIndex::add(const torch::Tensor& codes) {
  auto packed = pack_codes(codes, "codes added to the index");
  if (packed.bits != codes_.bits) fail("codes of {} bits added to an index of {} bits", packed.bits, codes_.bits);
  codes_.data.insert(codes_.data.end(), packed.data.begin(), packed.data.end());
  codes_.rows += packed.rows;
}

torch::Tensor FlatBinaryIndex::code(int64_t id) const {
  if (id < 0 || id >= codes_.rows) fail("no item {} in an index of {}", id, codes_.rows);
  return unpack_code(codes_.row(id), codes_.bits);
}

void FlatBinaryIndex::distances(const uint64_t* query, int64_t begin, int64_t end, uint16_t* out) const {
  if (begin < 0 || end > codes_.rows || begin > end)
    fail("distances: items [{}, {}) are not within the index's {}", begin, end, codes_.rows);
  scan(query, begin, end, [out, begin](int64_t j, int d) { out[j - begin] = static_cast<uint16_t>(d); });
}

}  // namespace hashrl
