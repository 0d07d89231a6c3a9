#include "hashrl/retrieval/binary_index.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <numeric>

#include "hashrl/common/error.h"
#include "hashrl/retrieval/faiss_index.h"
#include "hashrl/retrieval/flat_index.h"

namespace hashrl {
namespace {

// Every item's distance to one query, and how many items lie at each distance.
struct DistanceCounts {
  std::vector<uint16_t> distance;
  std::vector<int64_t> count;
};

DistanceCounts count_distances(const BinaryIndex& index, const torch::Tensor& query) {
  const auto packed = pack_codes(query.reshape({1, -1}), "query code");
  if (packed.bits != index.bits()) fail("the query has {} bits, the index {}", packed.bits, index.bits());
  DistanceCounts out{std::vector<uint16_t>(static_cast<size_t>(index.size())),
                     std::vector<int64_t>(static_cast<size_t>(index.bits() + 1), 0)};
  index.distances(packed.row(0), 0, index.size(), out.distance.data());
  for (const auto d : out.distance) ++out.count[d];
  return out;
}

// The first k items in (distance, id) order, by counting: each distance's items get the slots after
// those of the distances below it, and are written in id order; distances past the k-th item get
// no room.
std::vector<Hit> first_in_rank_order(const DistanceCounts& s, int64_t k) {
  const auto buckets = s.count.size();
  std::vector<int64_t> next(buckets, k), end(buckets);
  for (size_t d = 0, start = 0; d < buckets && static_cast<int64_t>(start) < k; start += s.count[d], ++d)
    next[d] = static_cast<int64_t>(start);
  for (size_t d = 0; d < buckets; ++d) end[d] = std::min(k, next[d] + s.count[d]);
  std::vector<Hit> hits(static_cast<size_t>(k));
  for (size_t i = 0; i < s.distance.size(); ++i) {
    const auto d = s.distance[i];
    if (next[d] < end[d]) hits[next[d]++] = Hit{static_cast<int64_t>(i), d};
  }
  return hits;
}

}  // namespace

std::vector<Hit> BinaryIndex::search(const torch::Tensor& query, int64_t k) const {
  if (k < 0) fail("search: k must not be negative, got {}", k);
  const auto counts = count_distances(*this, query);
  return first_in_rank_order(counts, std::min(k, size()));
}

std::vector<std::vector<Hit>> BinaryIndex::search_many(const torch::Tensor& queries, int64_t k) const {
  if (queries.dim() != 2) fail("search_many: queries must be a matrix [n, {}], got shape {}", bits(), queries.sizes());
  std::vector<std::vector<Hit>> out(static_cast<size_t>(queries.size(0)));
  at::parallel_for(0, queries.size(0), 1, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] = search(queries[i], k);
  });
  return out;
}

std::vector<Hit> BinaryIndex::range_search(const torch::Tensor& query, int64_t radius) const {
  if (radius < 0) fail("range_search: the radius must not be negative, got {}", radius);
  const auto counts = count_distances(*this, query);
  const auto last = counts.count.begin() + std::min<int64_t>(radius, bits()) + 1;
  return first_in_rank_order(counts, std::accumulate(counts.count.begin(), last, int64_t{0}));
}

std::unique_ptr<BinaryIndex> make_binary_index(const std::string& description, int64_t bits) {
  if (description == "flat" || description == "exact") return std::make_unique<FlatBinaryIndex>(bits);
  if (description.rfind('B', 0) == 0) return std::make_unique<FaissBinaryIndex>(description, bits);
  fail("unknown binary index '{}'; known: flat (or exact), and FAISS's BFlat, BIVF<lists>, BHNSW<M>, BHash<b>, "
       "BHash<n>x<b>", description);
}

}  // namespace hashrl
