#include "hashrl/retrieval/flat_index.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>

#include "hashrl/common/error.h"

namespace hashrl {
namespace {

// The k first items in (distance, id) order among those offered in increasing id order, without
// keeping every distance: once k items lie within `cutoff`, a later item (a larger id) can only
// enter below it. Candidates pile up to 2k before the cutoff is tightened and the rest dropped.
class TopK {
 public:
  TopK(int64_t k, int64_t bits) : k_(k), count_(static_cast<size_t>(bits + 2), 0), cutoff_(static_cast<int>(bits) + 1) {}

  void offer(int64_t id, int distance) {
    if (distance >= cutoff_) return;
    kept_.push_back({id, distance});
    ++count_[distance];
    if (static_cast<int64_t>(kept_.size()) >= 2 * k_ + 64) tighten();  // then at most k_ remain
  }

  std::vector<Hit> take() {
    tighten();
    std::sort(kept_.begin(), kept_.end(), in_rank_order);
    if (static_cast<int64_t>(kept_.size()) > k_) kept_.resize(static_cast<size_t>(k_));
    return std::move(kept_);
  }

 private:
  // The smallest distance D with k kept items at or below it: later items (larger ids) need a
  // distance below D, kept items beyond D are out, and of those at D only the earliest that the k
  // first need stay. kept_ is in id order, so "earliest" is order of appearance.
  void tighten() {
    int64_t within = 0;
    for (int d = 0; d < cutoff_; ++d) {
      within += count_[d];
      if (within < k_) continue;
      int64_t room_at_d = k_ - (within - count_[d]);
      count_[d] = room_at_d;
      for (int e = d + 1; e < cutoff_; ++e) count_[e] = 0;
      cutoff_ = d;
      size_t out = 0;
      for (const Hit& h : kept_)
        if (h.distance < d || (h.distance == d && room_at_d-- > 0)) kept_[out++] = h;
      kept_.resize(out);
      return;
    }
  }

  int64_t k_;
  std::vector<int64_t> count_;
  int cutoff_;
  std::vector<Hit> kept_;
};

}  // namespace

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

std::vector<Hit> FlatBinaryIndex::search(const torch::Tensor& query, int64_t k) const {
  return search_many(query.reshape({1, -1}), k).front();
}

std::vector<std::vector<Hit>> FlatBinaryIndex::search_many(const torch::Tensor& queries, int64_t k) const {
  if (k < 0) fail("search: k must not be negative, got {}", k);
  const auto packed = pack_codes(queries, "query codes");
  if (packed.bits != bits()) fail("the queries have {} bits, the index {}", packed.bits, bits());
  k = std::min(k, size());
  std::vector<std::vector<Hit>> out(static_cast<size_t>(packed.rows));
  // A block of queries scans the database in chunks small enough to stay in cache, so the codes
  // are read from memory once per block instead of once per query.
  constexpr int64_t kBlock = 32, kChunkBytes = 32 << 10;
  const int64_t chunk = std::max<int64_t>(1, kChunkBytes / (8 * codes_.words));
  at::parallel_for(0, (packed.rows + kBlock - 1) / kBlock, 1, [&](int64_t first_block, int64_t last_block) {
    for (int64_t b = first_block; b < last_block; ++b) {
      const int64_t q0 = b * kBlock, q1 = std::min(packed.rows, q0 + kBlock);
      std::vector<TopK> best;
      for (int64_t q = q0; q < q1; ++q) best.emplace_back(k, bits());
      for (int64_t c = 0; c < size() && k > 0; c += chunk)
        for (int64_t q = q0; q < q1; ++q) {
          TopK& top = best[q - q0];
          scan(packed.row(q), c, std::min(size(), c + chunk), [&top](int64_t id, int d) { top.offer(id, d); });
        }
      for (int64_t q = q0; q < q1; ++q) out[q] = best[q - q0].take();
    }
  });
  return out;
}

void FlatBinaryIndex::distances(const uint64_t* query, int64_t begin, int64_t end, uint16_t* out) const {
  if (begin < 0 || end > codes_.rows || begin > end)
    fail("distances: items [{}, {}) are not within the index's {}", begin, end, codes_.rows);
  scan(query, begin, end, [out, begin](int64_t j, int d) { out[j - begin] = static_cast<uint16_t>(d); });
}

}  // namespace hashrl
