#pragma once
// Retrieval metrics over Hamming ranking, as in the paper's section IV and docs/metrics.md.
//
// Ranking: the database sorted by Hamming distance to the query; equal distances keep database
// order (distance, then database index), so every number is deterministic. Because that tie order
// alone can swing MAP and precision@k on short codes, their tie-aware versions (the exact
// expectation over random orders within each distance) are reported beside them.
//
// Relevant: sharing at least one label with the query. Queries with no relevant item in the
// database are counted and left out of every mean.
//
// Cost: distances take only q + 1 values, so a query's ranking is a counting sort, O(database)
// time and memory, never a comparison sort; memory never grows with queries x database.
#include <cstdint>
#include <vector>

#include "hashrl/retrieval/binary_index.h"
#include "hashrl/retrieval/packed_codes.h"

namespace hashrl {

struct EvalOptions {
  // MAP@K with R = the relevant items within the top K (the NUS-WIDE convention); 0: off.
  int64_t topk = 0;
  // Precision of the first k items of the ranking, for each k (divided by min(k, database)).
  std::vector<int64_t> precision_at = {1, 10, 100, 500, 1000};
  // Hash lookup: the items within this Hamming radius.
  int64_t radius = 2;
};

struct PrPoint {
  int64_t radius;
  double precision, recall;
};

struct RetrievalMetrics {
  int64_t num_queries = 0, num_database = 0, code_length = 0;
  int64_t queries_without_relevant = 0;  // left out of every mean below
  int64_t evaluated_queries = 0;

  double map = 0;            // full ranking, ties by database index (eq. 11)
  double map_tie_aware = 0;  // expectation over random orders within equal distances
  int64_t topk = 0;
  double map_at_k = 0;       // when topk > 0; a query with no relevant item in its top K scores 0

  std::vector<std::pair<int64_t, double>> precision_at_k;  // ties by database index
  // The expectation over random orders within equal distances: on a database stored by class, a
  // cut inside a tie otherwise counts whichever class comes first (precision@1 0.10, chance, for a
  // 32-bit CIFAR-10 run whose tie-aware precision@1 was 0.48; docs/metrics.md).
  std::vector<std::pair<int64_t, double>> precision_at_k_tie_aware;

  int64_t radius = 2;
  double precision_within_radius = 0;  // a query with nothing within the radius counts as 0
  double recall_within_radius = 0;
  int64_t queries_empty_within_radius = 0;

  // For radius 0..q: mean precision (0 for an empty lookup, as above) and mean recall.
  std::vector<PrPoint> pr_curve;
};

// Ranks the database that `index` holds (every item's distance, binary_index.h) for each query.
// Throws when the code lengths or the label widths of queries and database differ, or when
// labels and codes disagree in count.
RetrievalMetrics evaluate_retrieval(const PackedBits& query_codes, const PackedBits& query_labels,
                                    const BinaryIndex& index, const PackedBits& db_labels,
                                    const EvalOptions& options = {});

// What the four tensors of evaluate_retrieval are called in its errors (`hashrl eval`: file names).
struct RetrievalInputNames {
  std::string query_codes = "query codes", query_labels = "query labels";
  std::string db_codes = "database codes", db_labels = "database labels";
};

// The same with tensors, over an exact index: codes 0/1 or +-1 [n, q]; labels as class ids [n] or
// multi-hot [n, L] (class ids on both sides share one label width). Throws naming the tensors
// when code lengths, counts or label widths disagree.
RetrievalMetrics evaluate_retrieval(const torch::Tensor& query_codes, const torch::Tensor& query_labels,
                                    const torch::Tensor& db_codes, const torch::Tensor& db_labels,
                                    const EvalOptions& options = {}, const RetrievalInputNames& names = {});

}  // namespace hashrl
