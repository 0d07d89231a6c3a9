// Retrieval metrics against small cases computed by hand (docs/metrics.md states the conventions).
#include <ATen/Parallel.h>
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <mutex>
#include <numeric>
#include <set>
#include <tuple>

#include "hashrl/common/error.h"
#include "hashrl/retrieval/ranking_metrics.h"

using namespace hashrl;
using Catch::Detail::Approx;

namespace {

torch::Tensor codes(std::vector<std::vector<int>> rows) {
  auto t = torch::zeros({static_cast<int64_t>(rows.size()), static_cast<int64_t>(rows[0].size())}, torch::kUInt8);
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t j = 0; j < rows[i].size(); ++j) t[i][j] = rows[i][j];
  return t;
}

// One query 00; database 00 (relevant), 11, 01 (relevant), 00: distances 0, 2, 1, 0.
// Ranking with ties by index: #0 (rel), #3, #2 (rel), #1 -> relevant at ranks 1 and 3.
struct Ranked {
  torch::Tensor qc = codes({{0, 0}});
  torch::Tensor dc = codes({{0, 0}, {1, 1}, {0, 1}, {0, 0}});
  torch::Tensor ql = torch::tensor({0}, torch::kInt64);
  torch::Tensor dl = torch::tensor({0, 1, 0, 1}, torch::kInt64);
};

}  // namespace

TEST_CASE("MAP orders ties by database index and reports the tie-aware expectation") {
  Ranked r;
  EvalOptions options;
  options.precision_at = {1, 2, 3, 10};
  options.topk = 2;
  const auto m = evaluate_retrieval(r.qc, r.ql, r.dc, r.dl, options);
  CHECK(m.map == Approx((1.0 / 1 + 2.0 / 3) / 2));
  // Distance 0 holds one relevant item of two: expected precision (1/1 + 1/2)/2; then 2/3.
  CHECK(m.map_tie_aware == Approx((0.75 + 2.0 / 3) / 2));
  CHECK(m.map_at_k == Approx(1.0));  // top 2: #0 (rel), #3 -> R = 1, AP@2 = 1
  CHECK(m.precision_at_k[0].second == Approx(1.0));
  CHECK(m.precision_at_k[1].second == Approx(0.5));
  CHECK(m.precision_at_k[2].second == Approx(2.0 / 3));
  CHECK(m.precision_at_k[3].second == Approx(0.5));  // k beyond the database: 2 of all 4
  // Tie-aware: the first place goes to either item at distance 0, relevant with probability 1/2.
  CHECK(m.precision_at_k_tie_aware[0].second == Approx(0.5));
  CHECK(m.precision_at_k_tie_aware[1].second == Approx(0.5));
  CHECK(m.precision_at_k_tie_aware[2].second == Approx(2.0 / 3));
  CHECK(m.precision_at_k_tie_aware[3].second == Approx(0.5));
  CHECK(m.precision_within_radius == Approx(0.5));   // radius 2 retrieves all 4
  CHECK(m.pr_curve[0].precision == Approx(0.5));
  CHECK(m.pr_curve[0].recall == Approx(0.5));
  CHECK(m.pr_curve[1].precision == Approx(2.0 / 3));
  CHECK(m.pr_curve[1].recall == Approx(1.0));
}

TEST_CASE("MAP@K with K larger than the database equals MAP") {
  Ranked r;
  EvalOptions options;
  options.topk = 100;
  const auto m = evaluate_retrieval(r.qc, r.ql, r.dc, r.dl, options);
  CHECK(m.map_at_k == Approx(m.map));
}

TEST_CASE("tie order changes MAP but not the tie-aware MAP") {
  Ranked r;
  // Swap database items 0 and 3: the relevant item at distance 0 now comes second.
  const auto order = torch::tensor({3, 1, 2, 0}, torch::kInt64);
  const auto a = evaluate_retrieval(r.qc, r.ql, r.dc, r.dl);
  const auto b = evaluate_retrieval(r.qc, r.ql, r.dc.index_select(0, order), r.dl.index_select(0, order));
  CHECK(b.map == Approx((1.0 / 2 + 2.0 / 3) / 2));
  CHECK(a.map != Approx(b.map));
  CHECK(a.map_tie_aware == Approx(b.map_tie_aware));
}

TEST_CASE("tie-aware MAP and precision@k equal the means over every order within ties") {
  // 6 database items, all at distance 1 or 3 from the query, 3 relevant: average AP and P@k over
  // all permutations of the database (which permute within ties) by brute force.
  const auto qc = codes({{0, 0, 0}});
  const auto dc = codes({{1, 0, 0}, {1, 1, 1}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}, {1, 0, 0}});
  const auto ql = torch::tensor({0}, torch::kInt64);
  const auto dl = torch::tensor({0, 0, 1, 0, 1, 1}, torch::kInt64);
  EvalOptions options;
  options.precision_at = {1, 2, 3, 4, 5, 6};
  std::vector<int64_t> perm = {0, 1, 2, 3, 4, 5};
  double total = 0;
  std::vector<double> p_at(6, 0.0);
  int count = 0;
  do {
    const auto order = torch::tensor(perm, torch::kInt64);
    const auto m = evaluate_retrieval(qc, ql, dc.index_select(0, order), dl.index_select(0, order), options);
    total += m.map;
    for (size_t k = 0; k < p_at.size(); ++k) p_at[k] += m.precision_at_k[k].second;
    ++count;
  } while (std::next_permutation(perm.begin(), perm.end()));
  const auto m = evaluate_retrieval(qc, ql, dc, dl, options);
  CHECK(m.map_tie_aware == Approx(total / count));
  for (size_t k = 0; k < p_at.size(); ++k) {
    INFO("precision@" << k + 1);
    CHECK(m.precision_at_k_tie_aware[k].second == Approx(p_at[k] / count));
  }
  // Distance 1 holds items 0, 2, 3, 5 (relevant: 0, 3): the first two places take one on average.
  CHECK(m.precision_at_k_tie_aware[1].second == Approx(0.5));
}

TEST_CASE("multi-label relevance: sharing any label, and queries with no relevant item are left out") {
  const auto qc = codes({{0, 0}, {1, 1}});
  const auto dc = codes({{0, 0}, {1, 1}, {0, 1}});
  // Query 0 has labels {0, 1}: relevant to db #0 ({1}) and #2 ({0, 2}). Query 1 has label {3}: none.
  const auto ql = torch::tensor({{1, 1, 0, 0}, {0, 0, 0, 1}}, torch::kUInt8);
  const auto dl = torch::tensor({{0, 1, 0, 0}, {0, 0, 1, 0}, {1, 0, 1, 0}}, torch::kUInt8);
  const auto m = evaluate_retrieval(qc, ql, dc, dl);
  CHECK(m.queries_without_relevant == 1);
  CHECK(m.evaluated_queries == 1);
  // Query 0: distances 0, 2, 1 -> ranks #0 (rel), #2 (rel), #1: AP = 1.
  CHECK(m.map == Approx(1.0));
}

TEST_CASE("precision within radius counts an empty lookup as 0 and reports it") {
  const auto qc = codes({{0, 0, 0, 0}, {0, 0, 0, 0}});
  const auto dc = codes({{1, 1, 1, 0}, {0, 0, 0, 1}});
  const auto ql = torch::tensor({0, 1}, torch::kInt64);
  const auto dl = torch::tensor({0, 1}, torch::kInt64);
  const auto m = evaluate_retrieval(qc, ql, dc, dl);
  // Query 0 finds only #1 (distance 1, irrelevant): precision 0. Query 1 finds #1 (relevant): 1.
  CHECK(m.precision_within_radius == Approx(0.5));
  CHECK(m.queries_empty_within_radius == 0);
  EvalOptions tight;
  tight.radius = 0;
  const auto t = evaluate_retrieval(qc, ql, dc, dl, tight);
  CHECK(t.queries_empty_within_radius == 2);
  CHECK(t.precision_within_radius == Approx(0.0));
}

TEST_CASE("+-1 codes and one-hot labels give the same numbers as 0/1 codes and class ids") {
  auto gen = at::detail::createCPUGenerator(7);
  const auto qc = at::randint(0, 2, {20, 70}, gen).to(torch::kUInt8);  // two words per code
  const auto dc = at::randint(0, 2, {200, 70}, gen).to(torch::kUInt8);
  const auto ql = at::randint(0, 5, {20}, gen), dl = at::randint(0, 5, {200}, gen);
  const auto a = evaluate_retrieval(qc, ql, dc, dl);
  const auto b = evaluate_retrieval(qc.to(torch::kFloat32) * 2 - 1, torch::one_hot(ql, 5),
                                    dc.to(torch::kInt8) * 2 - 1, torch::one_hot(dl, 5));
  CHECK(a.map == Approx(b.map));
  CHECK(a.map_tie_aware == Approx(b.map_tie_aware));
  CHECK(a.precision_within_radius == Approx(b.precision_within_radius));
}

TEST_CASE("bad retrieval input is an error that says what disagrees") {
  Ranked r;
  CHECK_THROWS_WITH(evaluate_retrieval(r.qc, r.ql, codes({{0, 0, 1}}), torch::tensor({0}, torch::kInt64)),
                    Catch::Contains("'query codes' holds 2-bit codes but 'database codes' holds 3-bit codes"));
  CHECK_THROWS_WITH(evaluate_retrieval(r.qc, r.ql, r.dc, torch::tensor({0, 1}, torch::kInt64)),
                    Catch::Contains("database labels"));
  CHECK_THROWS_WITH(pack_codes(torch::tensor({{0.5, 1.0}}), "q.npy"), Catch::Contains("q.npy"));
  CHECK_THROWS_WITH(pack_labels(torch::zeros({2, 2, 2}), "l.npy"), Catch::Contains("l.npy"));
}

TEST_CASE("the counting-sort ranking equals a plain sort by (distance, index) on random data") {
  // Odd and even database sizes, one- and two-word codes and labels, cut-offs inside distance
  // buckets and past the database: MAP, MAP@K and precision@k against a straightforward reference.
  for (const auto& [n, q, labels] : std::vector<std::tuple<int64_t, int64_t, int64_t>>{
           {101, 16, 3}, {200, 48, 10}, {57, 100, 70}}) {
    INFO("database " << n << ", " << q << " bits, " << labels << " labels");
    torch::manual_seed(n);
    const auto qc = torch::randint(0, 2, {7, q}, torch::kUInt8), dc = torch::randint(0, 2, {n, q}, torch::kUInt8);
    const auto ql = (torch::rand({7, labels}) < 0.2).to(torch::kUInt8), dl = (torch::rand({n, labels}) < 0.2).to(torch::kUInt8);
    EvalOptions options;
    options.topk = 20;
    options.precision_at = {1, 5, 50, 500};
    const auto m = evaluate_retrieval(qc, ql, dc, dl, options);

    double map = 0, map_k = 0;
    std::vector<double> p_at(4, 0.0);
    int64_t evaluated = 0;
    for (int64_t i = 0; i < 7; ++i) {
      const auto distance = (dc != qc[i]).sum(1);
      const auto relevant = (dl.logical_and(ql[i])).any(1);
      std::vector<int64_t> order(n);
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        return distance[a].item<int64_t>() < distance[b].item<int64_t>();
      });
      if (!relevant.any().item<bool>()) continue;
      ++evaluated;
      double ap = 0, ap_k = 0;
      int64_t hits = 0, hits_k = 0;
      for (int64_t r = 0; r < n; ++r) {
        if (!relevant[order[r]].item<bool>()) continue;
        ++hits;
        ap += static_cast<double>(hits) / (r + 1);
        if (r < 20) ap_k += static_cast<double>(hits) / (r + 1), ++hits_k;
      }
      map += ap / hits;
      if (hits_k) map_k += ap_k / hits_k;
      const std::vector<int64_t> ks = {1, 5, 50, 500};
      for (size_t h = 0; h < ks.size(); ++h) {
        int64_t found = 0;
        for (int64_t r = 0; r < std::min(ks[h], n); ++r) found += relevant[order[r]].item<bool>();
        p_at[h] += static_cast<double>(found) / std::min(ks[h], n);
      }
    }
    CHECK(m.map == Approx(map / evaluated));
    CHECK(m.map_at_k == Approx(map_k / evaluated));
    for (size_t h = 0; h < 4; ++h) CHECK(m.precision_at_k[h].second == Approx(p_at[h] / evaluated));
  }
}

TEST_CASE("at::parallel_for in our translation units runs on several threads", "[openmp]") {
  // It opens its OpenMP region in the caller's code: compiled without -fopenmp (CMakeLists.txt
  // links OpenMP everywhere) it runs every chunk on the calling thread, and the evaluation with it.
  const int saved = at::get_num_threads();
  at::set_num_threads(2);
  std::mutex seen_mutex;
  std::set<int> seen;
  at::parallel_for(0, 64, 1, [&](int64_t, int64_t) {
    std::lock_guard<std::mutex> lock(seen_mutex);
    seen.insert(at::get_thread_num());
  });
  at::set_num_threads(saved);
  CHECK(seen.size() == 2);
}
