#include "hashrl/serve/hamming_index.h"

#include <torch/torch.h>

#include "hashrl/common/error.h"

namespace hashrl {

HammingIndex::HammingIndex(const torch::Tensor& codes) : codes_(pack_codes(codes, "database codes")) {}

std::vector<Hit> HammingIndex::search(const torch::Tensor& code, int64_t k) const {
  const auto query = pack_codes(code.reshape({1, -1}), "query code");
  if (query.bits != codes_.bits) fail("the query has {} bits, the database {}", query.bits, codes_.bits);
  const int64_t n = codes_.rows;
  k = std::min(k, n);
  std::vector<uint16_t> distance(static_cast<size_t>(n));
  std::vector<int64_t> count(static_cast<size_t>(codes_.bits + 1), 0);
  for (int64_t i = 0; i < n; ++i) {
    distance[i] = static_cast<uint16_t>(hamming_distance(query.row(0), codes_.row(i), codes_.words));
    ++count[distance[i]];
  }
  // Where each distance's hits start in the result; distances past the k-th hit get no room.
  std::vector<int64_t> next(count.size(), k);
  for (int64_t d = 0, start = 0; d <= codes_.bits && start < k; start += count[d], ++d) next[d] = start;
  std::vector<Hit> hits(static_cast<size_t>(k));
  std::vector<int64_t> end(count.size());
  for (size_t d = 0; d < count.size(); ++d) end[d] = std::min(k, next[d] + count[d]);
  for (int64_t i = 0; i < n; ++i) {  // ascending ids: ties stay in id order
    const auto d = distance[i];
    if (next[d] < end[d]) hits[next[d]++] = Hit{i, d};
  }
  return hits;
}

}  // namespace hashrl
