#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/data/readers.h"
#include "hashrl/data/split.h"
#include "support.h"

using namespace hashrl;

TEST_CASE("per-label splits have the asked counts and are reproducible from the seed") {
  const auto data = make_synthetic(4, 50, 3, 0.1, 0);
  SplitOptions o;
  o.queries_per_label(5);
  o.train_per_label(10);
  const auto a = split_per_label(data, o), b = split_per_label(data, o);
  CHECK(a.query.equal(b.query));
  CHECK(a.train.equal(b.train));
  CHECK(a.query.numel() == 20);
  CHECK(a.train.numel() == 40);
  CHECK(a.database.numel() == 180);  // every item that is not a query, training items included
  CHECK(data.labels.index_select(0, a.query).sum(0).equal(torch::full({4}, 5, torch::kInt64)));
  o.seed(1);
  CHECK(!split_per_label(data, o).query.equal(a.query));
  o.train_in_database(false);
  CHECK(split_per_label(data, o).database.numel() == 140);
}

TEST_CASE("queries come from the official test file when the data set marks one") {
  auto data = make_synthetic(2, 30, 3, 0.1, 0);
  data.from_test_file = torch::arange(60) % 30 >= 20;  // the last 10 of each class
  SplitOptions o;
  o.queries_per_label(3);
  o.train_per_label(5);
  const auto s = split_per_label(data, o);
  CHECK(data.from_test_file.index_select(0, s.query).all().item<bool>());
  CHECK(!data.from_test_file.index_select(0, s.train).any().item<bool>());
}

TEST_CASE("a split asking for more than a label has is an error naming the label") {
  const auto data = make_synthetic(2, 10, 3, 0.1, 0);
  SplitOptions o;
  o.queries_per_label(8);
  o.train_per_label(5);
  CHECK_THROWS_WITH(split_per_label(data, o), Catch::Contains("label"));
}

TEST_CASE("splits are saved and loaded as index files, and checked against the data size") {
  const auto data = make_synthetic(2, 20, 3, 0.1, 0);
  SplitOptions o;
  o.queries_per_label(2);
  o.train_per_label(4);
  const auto s = split_per_label(data, o);
  const std::string dir = test::scratch_dir("split");
  save_split(s, dir);
  const auto back = load_split(dir, data.size());
  CHECK(back.query.equal(s.query));
  CHECK(back.database.equal(s.database));
  CHECK_THROWS_WITH(load_split(dir, 10), Catch::Contains("outside"));
}

TEST_CASE("the NUS-WIDE protocol keeps the most frequent concepts") {
  // 5 labels: every item has label i % 4, and every 37th item also the rare label 4.
  const int64_t n = 400;
  auto labels = torch::zeros({n, 5}, torch::kUInt8);
  for (int64_t i = 0; i < n; ++i) {
    labels[i][i % 4] = 1;
    if (i % 37 == 0) labels[i][4] = 1;
  }
  Dataset data;
  data.name = "multi";
  data.features = torch::randn({n, 3});
  data.labels = labels;
  SplitOptions o;
  o.queries_per_label(5);
  o.train_per_label(20);
  const auto nus = split_nus_wide(data, 4, o);
  CHECK(nus.data.num_labels() == 4);
  CHECK(nus.split.query.numel() == 20);
  CHECK(nus.split.train.numel() == 80);
}

TEST_CASE("random splits draw the asked counts, disjoint and reproducible from the seed") {
  const auto data = make_synthetic(4, 50, 3, 0.1, 0);
  SplitOptions o;
  const auto a = split_random(data, 30, 70, o), b = split_random(data, 30, 70, o);
  CHECK(a.query.equal(b.query));
  CHECK(a.train.equal(b.train));
  CHECK(a.query.numel() == 30);
  CHECK(a.train.numel() == 70);
  CHECK(a.database.numel() == 170);
  CHECK(!torch::isin(a.train, a.query).any().item<bool>());
  CHECK(!torch::isin(a.database, a.query).any().item<bool>());
  o.train_in_database(false);
  CHECK(split_random(data, 30, 70, o).database.numel() == 100);
  o.seed(2);
  CHECK(!split_random(data, 30, 70, o).query.equal(a.query));
  CHECK_THROWS_WITH(split_random(data, 150, 60, o), Catch::Contains("too few"));
}
