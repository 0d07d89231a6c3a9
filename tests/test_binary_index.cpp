// The binary index (retrieval/binary_index.h): its exact flat implementation and FAISS's (BFlat)
// against brute force, FAISS's approximate ones held to what they promise, and the metrics computed
// through an index against a ranking read off its search.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <set>

#include "hashrl/retrieval/binary_index.h"
#include "hashrl/retrieval/faiss_spec.h"
#include "hashrl/retrieval/flat_index.h"
#include "hashrl/retrieval/ranking_metrics.h"

using namespace hashrl;

namespace {

torch::Tensor random_codes(int64_t n, int64_t bits, uint64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  return at::randint(0, 2, {n, bits}, gen).to(torch::kUInt8);
}

// Every item as (distance, id), sorted: the ranking order the index promises.
std::vector<std::pair<int, int64_t>> brute_force(const torch::Tensor& db, const torch::Tensor& query) {
  const auto distance = db.ne(query.unsqueeze(0)).sum(1);
  std::vector<std::pair<int, int64_t>> out;
  for (int64_t i = 0; i < db.size(0); ++i) out.emplace_back(distance[i].item<int>(), i);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("flat index: top-k and range search equal brute force, in (distance, id) order") {
  for (const int64_t bits : {8, 48, 64, 65, 200}) {
    const auto db = random_codes(300, bits, bits);
    auto index = make_binary_index("flat", bits);
    index->add(db.slice(0, 0, 120));  // two adds: ids continue
    index->add(db.slice(0, 120, 300));
    REQUIRE(index->size() == 300);
    for (int64_t q = 0; q < 5; ++q) {
      const auto query = random_codes(1, bits, 1000 + q)[0];
      const auto expected = brute_force(db, query);
      for (const int64_t k : {0, 1, 17, 300, 1000}) {
        const auto hits = index->search(query, k);
        REQUIRE(static_cast<int64_t>(hits.size()) == std::min<int64_t>(k, 300));
        for (size_t i = 0; i < hits.size(); ++i) {
          INFO("bits " << bits << " k " << k << " rank " << i);
          CHECK(hits[i].distance == expected[i].first);
          CHECK(hits[i].id == expected[i].second);
        }
      }
      const int radius = expected[40].first;
      const auto within = index->range_search(query, radius);
      const auto count = std::count_if(expected.begin(), expected.end(), [&](const auto& e) { return e.first <= radius; });
      REQUIRE(static_cast<int64_t>(within.size()) == count);
      for (size_t i = 0; i < within.size(); ++i) CHECK(within[i].id == expected[i].second);
    }
  }
}

TEST_CASE("flat index: codes as +-1 rank like 0/1, and errors name the sizes and the description") {
  const auto db = random_codes(50, 16, 3);
  FlatBinaryIndex zero_one(16), plus_minus(16);
  zero_one.add(db);
  plus_minus.add(db.to(torch::kFloat32) * 2 - 1);
  const auto a = zero_one.search(db[7], 50), b = plus_minus.search(db[7].to(torch::kFloat32) * 2 - 1, 50);
  for (size_t i = 0; i < a.size(); ++i) CHECK(a[i].id == b[i].id);
  CHECK(a[0].id == 7);
  CHECK(a[0].distance == 0);
  CHECK_THROWS_WITH(zero_one.add(random_codes(2, 8, 0)), Catch::Contains("8 bits") && Catch::Contains("16 bits"));
  CHECK_THROWS_WITH(zero_one.search(random_codes(1, 12, 0)[0], 3), Catch::Contains("12 bits"));
  CHECK_THROWS_WITH(zero_one.search(db[0], -1), Catch::Contains("k must not be negative"));
  CHECK_THROWS_WITH(make_binary_index("hnsw", 16), Catch::Contains("'hnsw'") && Catch::Contains("known: flat"));
  CHECK_THROWS_WITH(make_binary_index("flat", 0), Catch::Contains("0"));
}

TEST_CASE("FAISS BFlat answers exactly, in (distance, id) order, codes not a multiple of 8 bits included") {
  for (const int64_t bits : {8, 12, 48, 64, 65}) {
    const auto db = random_codes(300, bits, bits);
    auto index = make_binary_index("BFlat", bits);
    index->add(db.slice(0, 0, 100));
    index->add(db.slice(0, 100, 300));
    CHECK(index->exact());
    for (int64_t q = 0; q < 3; ++q) {
      const auto query = random_codes(1, bits, 2000 + q)[0];
      const auto expected = brute_force(db, query);
      const auto hits = index->search(query, 50);
      REQUIRE(hits.size() == 50);
      for (size_t i = 0; i < hits.size(); ++i) {
        INFO("bits " << bits << " rank " << i);
        CHECK(hits[i].distance == expected[i].first);
        CHECK(hits[i].id == expected[i].second);
      }
    }
  }
}

TEST_CASE("FAISS's approximate indexes return true distances, in order, and report their recall") {
  const int64_t bits = 48, n = 4000, k = 10;
  // Clustered codes, as trained codes are: 40 centres, each item a few bits away from one.
  auto gen = at::detail::createCPUGenerator(11);
  const auto centres = at::randint(0, 2, {40, bits}, gen).to(torch::kUInt8);
  const auto flips = at::rand({n, bits}, gen).lt(0.05);
  const auto db = centres.index_select(0, at::randint(0, 40, {n}, gen)).logical_xor(flips).to(torch::kUInt8);
  for (const char* description : {"BIVF16", "BHNSW16", "BHash12", "BHash4x12"}) {
    auto index = make_binary_index(description, bits);
    index->add(db);
    CHECK_FALSE(index->exact());
    double found = 0;
    const int64_t queries = 20;
    for (int64_t q = 0; q < queries; ++q) {
      const auto query = db[q * 97];
      const auto expected = brute_force(db, query);
      const auto hits = index->search(query, k);
      INFO(description << " query " << q);
      CHECK(static_cast<int64_t>(hits.size()) <= k);
      std::set<int64_t> ids;
      for (size_t i = 0; i < hits.size(); ++i) {
        CHECK(hits[i].distance == db[hits[i].id].ne(query).sum().item<int>());  // the true distance
        if (i > 0) CHECK(std::make_pair(hits[i - 1].distance, hits[i - 1].id) < std::make_pair(hits[i].distance, hits[i].id));
        ids.insert(hits[i].id);
      }
      CHECK(ids.size() == hits.size());
      // Recall@k against the exact answer, ties at the k-th distance counted as found.
      const int kth = expected[k - 1].first;
      for (const auto& hit : hits) found += hit.distance <= kth ? 1 : 0;
    }
    const double recall = found / static_cast<double>(queries * k);
    INFO(description << " recall@" << k << " " << recall);
    CHECK(recall > 0.2);  // each finds at least the query itself and its near duplicates
    // range_search stays exact, from the codes the index keeps.
    const auto within = index->range_search(db[0], 3);
    const auto expected = brute_force(db, db[0]);
    CHECK(static_cast<int64_t>(within.size()) ==
          std::count_if(expected.begin(), expected.end(), [](const auto& e) { return e.first <= 3; }));
  }
}

TEST_CASE("a FAISS index FAISS cannot build, or cannot train on so few codes, is an error naming it") {
  CHECK_THROWS_WITH(make_binary_index("BFoo", 16), Catch::Contains("'BFoo'") && Catch::Contains("BIVF<lists>"));
  auto ivf = make_binary_index("BIVF64", 16);
  CHECK_THROWS_WITH(ivf->add(random_codes(10, 16, 0)), Catch::Contains("BIVF64") && Catch::Contains("10 codes"));
  CHECK_THROWS_WITH(make_binary_index("hnsw", 16), Catch::Contains("'hnsw'") && Catch::Contains("BHNSW<M>"));
}

TEST_CASE("the metrics rank through the index: MAP equals the mean AP of each query's search") {
  const int64_t bits = 12, n = 400, queries = 30;
  const auto db = random_codes(n, bits, 5), qc = random_codes(queries, bits, 6);
  auto gen = at::detail::createCPUGenerator(7);
  const auto dl = at::randint(0, 4, {n}, gen), ql = at::randint(0, 4, {queries}, gen);
  auto index = make_binary_index("flat", bits);
  index->add(db);
  double total = 0;
  for (int64_t q = 0; q < queries; ++q) {
    double relevant = 0, ap = 0;
    const auto hits = index->search(qc[q], n);
    for (size_t rank = 0; rank < hits.size(); ++rank)
      if (dl[hits[rank].id].item<int64_t>() == ql[q].item<int64_t>()) ap += ++relevant / static_cast<double>(rank + 1);
    total += ap / relevant;
  }
  const auto metrics = evaluate_retrieval(qc, ql, db, dl);
  CHECK(metrics.map == Approx(total / queries).epsilon(1e-12));
  const auto via_index = evaluate_retrieval(pack_codes(qc), pack_labels(ql, "q", 4), *index, pack_labels(dl, "d", 4));
  CHECK(via_index.map == metrics.map);
}

TEST_CASE("the metrics give the same figures through any index, not only the flat one") {
  // An index the metrics cannot see is flat: they must go through distances(), block by block.
  class Wrapped : public BinaryIndex {
   public:
    explicit Wrapped(int64_t bits) : inner_(bits) {}
    std::string description() const override { return "wrapped"; }
    int64_t bits() const override { return inner_.bits(); }
    int64_t size() const override { return inner_.size(); }
    void add(const torch::Tensor& codes) override { inner_.add(codes); }
    torch::Tensor code(int64_t id) const override { return inner_.code(id); }
    void distances(const uint64_t* query, int64_t begin, int64_t end, uint16_t* out) const override {
      inner_.distances(query, begin, end, out);
    }

   private:
    FlatBinaryIndex inner_;
  };
  const int64_t bits = 70, n = 5000, queries = 20;  // two words, and more than one block
  const auto db = random_codes(n, bits, 8), qc = random_codes(queries, bits, 9);
  auto gen = at::detail::createCPUGenerator(10);
  const auto dl = at::randint(0, 5, {n}, gen), ql = at::randint(0, 5, {queries}, gen);
  Wrapped wrapped(bits);
  wrapped.add(db);
  EvalOptions options;
  options.topk = 100;
  const auto flat = evaluate_retrieval(qc, ql, db, dl, options);
  const auto other = evaluate_retrieval(pack_codes(qc), pack_labels(ql, "q", 5), wrapped, pack_labels(dl, "d", 5), options);
  CHECK(other.map == flat.map);
  CHECK(other.map_tie_aware == flat.map_tie_aware);
  CHECK(other.map_at_k == flat.map_at_k);
  CHECK(other.precision_at_k == flat.precision_at_k);
  FlatBinaryIndex index(bits);
  index.add(db);
  const auto a = wrapped.search(qc[0], 10), b = index.search(qc[0], 10);
  for (size_t i = 0; i < b.size(); ++i) CHECK(a[i].id == b[i].id);
}

// fuzz_index_factory: BHNSW dereferenced its first vertex when given no codes (SIGSEGV).
TEST_CASE("adding no codes to any index is a no-op, and an empty index answers with nothing") {
  for (const std::string description : {"flat", "BFlat", "BIVF4", "BHNSW8", "BHash12", "BHash2x8"}) {
    INFO(description);
    auto index = make_binary_index(description, 48);
    index->add(random_codes(0, 48, 1));
    CHECK(index->size() == 0);
    CHECK(index->search(random_codes(1, 48, 2)[0], 5).empty());
    CHECK(index->range_search(random_codes(1, 48, 3)[0], 48).empty());
  }
}

TEST_CASE("search_many answers each query as search() does, ties and all, for every index") {
  // Few bits and many items: long runs of equal distances, so the (distance, id) order of the ties
  // at the k-th place is exercised, across the flat index's chunk boundaries.
  for (const int64_t bits : {6, 48, 130}) {
    const auto db = random_codes(20000, bits, 40 + bits), queries = random_codes(70, bits, 41 + bits);
    for (const std::string description : {"flat", "BFlat", "BHash8"}) {
      INFO(description << ", " << bits << " bits");
      if (description == "BHash8" && bits < 8) continue;
      auto index = make_binary_index(description, bits);
      index->add(db);
      for (const int64_t k : {0, 1, 10, 300, 30000}) {
        const auto many = index->search_many(queries, k);
        REQUIRE(many.size() == 70);
        for (int64_t q = 0; q < 70; q += 7) {
          const auto one = index->search(queries[q], k);
          const bool same = many[q].size() == one.size() &&
                            std::equal(one.begin(), one.end(), many[q].begin(), [](const Hit& a, const Hit& b) {
                              return a.id == b.id && a.distance == b.distance;
                            });
          INFO("query " << q << ", k " << k);
          CHECK(same);
        }
      }
    }
  }
}

TEST_CASE("FAISS search parameters follow the factory string, and one that does not apply is named") {
  const auto db = random_codes(4000, 32, 50), query = random_codes(1, 32, 51)[0];
  auto one_list = make_binary_index("BIVF16", 32), all_lists = make_binary_index("BIVF16,nprobe=16", 32);
  one_list->add(db);
  all_lists->add(db);
  // Probing every list is an exhaustive search: the exact distances of the k nearest.
  const auto exact = make_binary_index("flat", 32)->search_many(db.slice(0, 0, 1), 1);  // empty index: no hits
  CHECK(exact[0].empty());
  auto flat = make_binary_index("flat", 32);
  flat->add(db);
  const auto want = flat->search(query, 20), got = all_lists->search(query, 20);
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) CHECK(got[i].distance == want[i].distance);
  CHECK(all_lists->description() == "BIVF16,nprobe=16");
  CHECK_NOTHROW(make_binary_index("BHash2x16,nflip=1", 32));
  CHECK_NOTHROW(make_binary_index("BHNSW8,efSearch=40", 32));
  CHECK_THROWS_WITH(make_binary_index("BHash2x16,nprobe=4", 32), Catch::Contains("'nprobe'") && Catch::Contains("nflip"));
  CHECK_THROWS_WITH(make_binary_index("BIVF16,nprobe", 32), Catch::Contains("name=number"));
}

TEST_CASE("FAISS descriptions are checked against the code length before FAISS sees them") {
  // Each of these crashed, hung or built an index that failed every search (issue 39).
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"BHNSW0", "BHNSW's M"},
      {"BIVF0", "BIVF's list count"},
      {"BIVF-1", "not one of BFlat"},
      {"BIVF99999999999999999999", "not a number"},
      {"BHash0", "BHash's bits hashed"},
      {"BHash49", "BHash's bits hashed"},
      {"BHash4x13", "BHash<n>x<b>'s n"},
      {"BHash4x12,nflip=100", "nflip must be 0 to 12"},
      {"BHash48,nflip=24", "buckets"},
      {"BIVF16,nprobe=17", "nprobe must be 1 to 16"},
      {"BIVF16,nprobe=0", "nprobe must be 1 to 16"},
      {"BHNSW16,efSearch=0", "efSearch"},
  };
  for (const auto& [description, says] : refused) {
    INFO(description);
    CHECK_THROWS_WITH(make_binary_index(description, 48), Catch::Contains("'" + description + "'") && Catch::Contains(says));
  }
  for (const std::string fine : {"BFlat", "BIVF1", "BHNSW2", "BHash48,nflip=3", "BHash4x12,nflip=12", "BIVF16,nprobe=16"}) {
    INFO(fine);
    CHECK_NOTHROW(make_binary_index(fine, 48));
  }
  const auto spec = parse_faiss_spec("BIVF64,nprobe=8", 48);
  CHECK(spec.factory == "BIVF64");
  CHECK(spec.ivf_lists == 64);
  CHECK(spec.parameters == std::vector<std::pair<std::string, int64_t>>{{"nprobe", 8}});
}
