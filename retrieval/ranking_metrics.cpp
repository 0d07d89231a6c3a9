#include "hashrl/retrieval/ranking_metrics.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <mutex>

#include "hashrl/common/error.h"
#include "hashrl/retrieval/flat_index.h"
#include "hashrl/retrieval/popcount.h"

namespace hashrl {
namespace {

// What one query contributes; summed over queries, then divided by the evaluated count.
struct Sums {
  double ap = 0, ap_tie = 0, ap_k = 0, p_radius = 0, r_radius = 0;
  int64_t evaluated = 0, no_relevant = 0, empty_radius = 0;
  struct AtK {
    double index_order = 0, tie_aware = 0;
  };
  std::vector<AtK> p_at;  // precision@k, per k
  std::vector<double> pr_p, pr_r;

  Sums(size_t ks, size_t radii) : p_at(ks), pr_p(radii, 0.0), pr_r(radii, 0.0) {}
  void add(const Sums& o) {
    ap += o.ap, ap_tie += o.ap_tie, ap_k += o.ap_k, p_radius += o.p_radius, r_radius += o.r_radius;
    evaluated += o.evaluated, no_relevant += o.no_relevant, empty_radius += o.empty_radius;
    for (size_t i = 0; i < p_at.size(); ++i)
      p_at[i].index_order += o.p_at[i].index_order, p_at[i].tie_aware += o.p_at[i].tie_aware;
    for (size_t i = 0; i < pr_p.size(); ++i) pr_p[i] += o.pr_p[i], pr_r[i] += o.pr_r[i];
  }
};

// A relevant item as the first pass sees it: its distance and its place among the items at that
// distance with a lower database index.
struct RelevantItem {
  uint32_t distance, place;
};

// An index other than the flat one is asked for distances in blocks of this many items, so that
// they stay in L1 for the pass that reads them.
constexpr int64_t kBlock = 2048;

// Per-thread scratch, O(q + database).
struct Scratch {
  std::vector<int64_t> count, relevant, start;  // per distance: items, relevant items, first rank - 1
  std::vector<RelevantItem> items;  // room for the whole database; the first num_items are set
  int64_t num_items = 0;
  // The relevant items' places in rank order, those of distance d from bucket_begin[d].
  std::vector<int64_t> bucket_begin, bucket_next;
  std::vector<uint32_t> ranked_places;
  std::vector<uint16_t> block;  // one block's distances
  Scratch(int64_t q, int64_t database)
      : count(q + 1), relevant(q + 1), start(q + 1), items(static_cast<size_t>(database)),
        bucket_begin(q + 2), bucket_next(q + 1), ranked_places(static_cast<size_t>(database)), block(kBlock) {}
};

// First pass: the histogram of distances and the relevant items in index order. Branch-free:
// relevance is data (about 1 in 10 on ten classes) and would mispredict, so every item is written
// to the next free slot, which advances only when the item is relevant.
template <int LabelWords>
void histogram(const BinaryIndex& db, const uint64_t* qc, const uint64_t* ql, const PackedBits& db_labels,
               Scratch& s) {
  const int64_t lw = LabelWords ? LabelWords : db_labels.words, n = db.size();
  std::fill(s.count.begin(), s.count.end(), 0);
  int64_t* count = s.count.data();
  const uint64_t* dl = db_labels.data.data();
  const uint16_t* distance = s.block.data();
  RelevantItem* out = s.items.data();
  int64_t found = 0;
  const auto visit = [&](int64_t j, int d) {
    out[found] = {static_cast<uint32_t>(d), static_cast<uint32_t>(count[d]++)};
    found += shares_label(ql, dl + j * lw, lw);
  };
  if (const auto* flat = dynamic_cast<const FlatBinaryIndex*>(&db)) {
    flat->scan(qc, 0, n, visit);  // one fused pass: the distance loop inlined with this visitor
  } else {
    for (int64_t begin = 0; begin < n; begin += kBlock) {
      const int64_t end = std::min(n, begin + kBlock);
      db.distances(qc, begin, end, s.block.data());
      for (int64_t j = begin; j < end; ++j) visit(j, distance[j - begin]);
    }
  }
  s.num_items = found;
}

// harmonic[i] = 1 + 1/2 + ... + 1/i, so that sums of 1/rank over a bucket cost O(1).
std::vector<double> harmonic_numbers(int64_t n) {
  std::vector<double> h(static_cast<size_t>(n + 1), 0.0);
  for (int64_t i = 1; i <= n; ++i) h[i] = h[i - 1] + 1.0 / static_cast<double>(i);
  return h;
}

// The distance whose items hold rank `top` (1 <= top <= database): the last one whose ranks begin
// before it, never an empty one (an empty distance begins where the next one does).
int64_t distance_at_rank(const Scratch& s, int64_t q, int64_t top) {
  const auto after = std::upper_bound(s.start.begin(), s.start.begin() + q + 1, top - 1);
  return (after - s.start.begin()) - 1;
}

// How many relevant items rank within the first `top`, once s.ranked_places holds them in rank
// order: those of the distances before the one holding rank `top`, and those of that distance
// whose place is below the cut.
int64_t relevant_within(const Scratch& s, int64_t q, int64_t top) {
  const int64_t d = distance_at_rank(s, q, top);
  const uint32_t cut = static_cast<uint32_t>(top - s.start[d]);
  const uint32_t* first = s.ranked_places.data() + s.bucket_begin[d];
  const uint32_t* last = s.ranked_places.data() + s.bucket_begin[d + 1];
  return s.bucket_begin[d] + (std::lower_bound(first, last, cut) - first);
}

// The same in expectation over random orders within each distance: the cut takes its distance's
// relevant items in proportion to the share of that distance's items it takes.
double expected_relevant_within(const Scratch& s, int64_t q, int64_t top) {
  const int64_t d = distance_at_rank(s, q, top);
  return static_cast<double>(s.bucket_begin[d]) +
         static_cast<double>(top - s.start[d]) * static_cast<double>(s.relevant[d]) / static_cast<double>(s.count[d]);
}

void score_query(Scratch& s, int64_t q, int64_t n, const std::vector<double>& harmonic,
                 const EvalOptions& options, Sums& sums) {
  const int64_t total_relevant = s.num_items;
  if (total_relevant == 0) {
    ++sums.no_relevant;
    return;
  }
  ++sums.evaluated;
  std::fill(s.relevant.begin(), s.relevant.end(), 0);
  for (int64_t i = 0; i < s.num_items; ++i) ++s.relevant[s.items[i].distance];
  auto& start = s.start;
  int64_t pos = 0, rel = 0;
  double tie = 0;
  for (int64_t d = 0; d <= q; ++d) {
    start[d] = pos;
    // Tie-aware AP: position j (1-based) of the bucket's n_d holds a relevant item with
    // probability r_d / n_d, and then, on average, b (j - 1) relevant items precede it in the
    // bucket, b = (r_d - 1)/(n_d - 1). Its expected precision is (rel + 1 + b (j - 1))/(pos + j);
    // summed over j that is b n_d + (rel + 1 - b (1 + pos)) (H(pos + n_d) - H(pos)).
    const int64_t nd = s.count[d], rd = s.relevant[d];
    if (rd > 0) {
      const double b = nd > 1 ? static_cast<double>(rd - 1) / (nd - 1) : 0.0;
      const double a = static_cast<double>(rel + 1);
      const double sum = b * nd + (a - b * (1 + pos)) * (harmonic[pos + nd] - harmonic[pos]);
      tie += static_cast<double>(rd) / nd * sum;
    }
    pos += nd;
    rel += rd;
    // Lookup within radius d: the PR curve and, at the configured radius, P and R.
    const double precision = pos > 0 ? static_cast<double>(rel) / pos : 0.0;
    const double recall = static_cast<double>(rel) / total_relevant;
    sums.pr_p[d] += precision;
    sums.pr_r[d] += recall;
    if (d == std::min(options.radius, q)) {
      sums.p_radius += precision;
      sums.r_radius += recall;
      if (pos == 0) ++sums.empty_radius;
    }
  }
  sums.ap_tie += tie / total_relevant;

  // Ties by database index: an item's rank is the items before its distance plus its place there.
  // A counting sort by distance puts the relevant items in rank order, since within a distance
  // they already come in index order, i.e. by place. Then the i-th of them (0-based) has i + 1
  // relevant items at or above it, and every cut-off (top K, precision@k) is a prefix.
  auto& begin = s.bucket_begin;
  begin[0] = 0;
  for (int64_t d = 0; d <= q; ++d) begin[d + 1] = begin[d] + s.relevant[d];
  std::copy(begin.begin(), begin.end() - 1, s.bucket_next.begin());
  uint32_t* places = s.ranked_places.data();
  for (int64_t i = 0; i < s.num_items; ++i) places[s.bucket_next[s.items[i].distance]++] = s.items[i].place;

  const int64_t in_top_k = options.topk > 0 ? relevant_within(s, q, std::min(options.topk, n)) : 0;
  double ap = 0, ap_k = 0;
  for (int64_t d = 0; d <= q; ++d) {
    const double first_rank = static_cast<double>(start[d] + 1);
    for (int64_t i = begin[d]; i < begin[d + 1]; ++i) {
      const double precision = static_cast<double>(i + 1) / (first_rank + places[i]);
      ap += precision;
      ap_k += i < in_top_k ? precision : 0.0;
    }
  }
  sums.ap += ap / total_relevant;
  if (in_top_k > 0) sums.ap_k += ap_k / in_top_k;
  for (size_t i = 0; i < options.precision_at.size(); ++i) {
    const int64_t top = std::min(options.precision_at[i], n);
    sums.p_at[i].index_order += static_cast<double>(relevant_within(s, q, top)) / top;
    sums.p_at[i].tie_aware += expected_relevant_within(s, q, top) / top;
  }
}

template <int LabelWords>
Sums run(const PackedBits& qc, const PackedBits& ql, const BinaryIndex& dc, const PackedBits& dl,
         const EvalOptions& options) {
  const int64_t q = qc.bits;
  Sums total(options.precision_at.size(), static_cast<size_t>(q + 1));
  const auto harmonic = harmonic_numbers(dc.size());
  std::mutex merge;
  at::parallel_for(0, qc.rows, 16, [&](int64_t begin, int64_t end) {
    Scratch scratch(q, dc.size());
    Sums local(options.precision_at.size(), static_cast<size_t>(q + 1));
    for (int64_t i = begin; i < end; ++i) {
      histogram<LabelWords>(dc, qc.row(i), ql.row(i), dl, scratch);
      score_query(scratch, q, dc.size(), harmonic, options, local);
    }
    std::lock_guard<std::mutex> lock(merge);
    total.add(local);
  });
  return total;
}

}  // namespace

RetrievalMetrics evaluate_retrieval(const PackedBits& qc, const PackedBits& ql, const BinaryIndex& dc,
                                    const PackedBits& dl, const EvalOptions& options) {
  if (qc.bits != dc.bits())
    fail("query codes have {} bits but database codes have {}", qc.bits, dc.bits());
  if (qc.rows != ql.rows) fail("{} query codes but {} query labels", qc.rows, ql.rows);
  if (dc.size() != dl.rows) fail("{} database codes but {} database labels", dc.size(), dl.rows);
  if (ql.bits != dl.bits) fail("query labels have {} columns but database labels have {}", ql.bits, dl.bits);
  if (dc.size() == 0) fail("the database is empty");
  for (const auto k : options.precision_at)
    if (k < 1) fail("precision@k needs k >= 1, got {}", k);
  if (options.topk < 0 || options.radius < 0) fail("topk and radius must not be negative");

  // A specialised loop for the common case of one word of labels (L <= 64); the index specialises
  // the distances likewise.
  Sums sums = ql.words == 1 ? run<1>(qc, ql, dc, dl, options) : run<0>(qc, ql, dc, dl, options);
  RetrievalMetrics m;
  m.num_queries = qc.rows;
  m.num_database = dc.size();
  m.code_length = qc.bits;
  m.queries_without_relevant = sums.no_relevant;
  m.evaluated_queries = sums.evaluated;
  m.topk = options.topk;
  m.radius = options.radius;
  m.queries_empty_within_radius = sums.empty_radius;
  const double n = std::max<int64_t>(sums.evaluated, 1);
  m.map = sums.ap / n;
  m.map_tie_aware = sums.ap_tie / n;
  m.map_at_k = options.topk > 0 ? sums.ap_k / n : 0.0;
  m.precision_within_radius = sums.p_radius / n;
  m.recall_within_radius = sums.r_radius / n;
  for (size_t i = 0; i < options.precision_at.size(); ++i) {
    m.precision_at_k.emplace_back(options.precision_at[i], sums.p_at[i].index_order / n);
    m.precision_at_k_tie_aware.emplace_back(options.precision_at[i], sums.p_at[i].tie_aware / n);
  }
  for (int64_t d = 0; d <= qc.bits; ++d) m.pr_curve.push_back({d, sums.pr_p[d] / n, sums.pr_r[d] / n});
  return m;
}

RetrievalMetrics evaluate_retrieval(const torch::Tensor& query_codes, const torch::Tensor& query_labels,
                                    const torch::Tensor& db_codes, const torch::Tensor& db_labels,
                                    const EvalOptions& options, const RetrievalInputNames& names) {
  const auto qc = pack_codes(query_codes, names.query_codes);
  auto dc = pack_codes(db_codes, names.db_codes);
  const int64_t width =
      std::max(label_width(query_labels, names.query_labels), label_width(db_labels, names.db_labels));
  const auto ql = pack_labels(query_labels, names.query_labels, query_labels.dim() == 1 ? width : 0);
  const auto dl = pack_labels(db_labels, names.db_labels, db_labels.dim() == 1 ? width : 0);
  if (qc.bits != dc.bits)
    fail("'{}' holds {}-bit codes but '{}' holds {}-bit codes", names.query_codes, qc.bits, names.db_codes, dc.bits);
  if (qc.rows != ql.rows)
    fail("'{}' holds {} codes but '{}' holds {} labels", names.query_codes, qc.rows, names.query_labels, ql.rows);
  if (dc.rows != dl.rows)
    fail("'{}' holds {} codes but '{}' holds {} labels", names.db_codes, dc.rows, names.db_labels, dl.rows);
  if (ql.bits != dl.bits)
    fail("'{}' has {} label columns but '{}' has {}", names.query_labels, ql.bits, names.db_labels, dl.bits);
  return evaluate_retrieval(qc, ql, FlatBinaryIndex(std::move(dc)), dl, options);
}

}  // namespace hashrl
