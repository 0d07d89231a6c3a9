#include "hashrl/data/split.h"

#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/filter.hpp>
#include <range/v3/view/iota.hpp>
#include <range/v3/view/take.hpp>

#include "hashrl/common/error.h"
#include "hashrl/common/limits.h"
#include "hashrl/common/npy.h"
#include "hashrl/data/data_source.h"

namespace hashrl {
namespace {

namespace views = ranges::views;

// 0 .. n-1 in the seed's order: what every protocol draws from.
std::vector<int64_t> shuffled_order(int64_t n, uint64_t seed) {
  auto order = views::iota(int64_t{0}, n) | ranges::to<std::vector>();
  std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));
  return order;
}

// Every item that is not a query, and not a training item unless those stay in the database.
std::vector<int64_t> database_of(int64_t n, const std::vector<bool>& is_query, const std::vector<bool>& is_train,
                                 bool train_in_database) {
  return views::iota(int64_t{0}, n) |
         views::filter([&](int64_t i) { return !is_query[i] && (train_in_database || !is_train[i]); }) |
         ranges::to<std::vector>();
}

torch::Tensor sorted_index_tensor(std::vector<int64_t> indices) {
  std::sort(indices.begin(), indices.end());
  return torch::tensor(indices, torch::kInt64);
}

// Fills a quota of `per_label` items for every label from `candidates` (already shuffled): an
// item goes to the first of its labels whose quota is still open. Chosen items are marked taken.
std::vector<int64_t> take_per_label(const torch::Tensor& labels, const std::vector<int64_t>& candidates,
                                    int64_t per_label, std::vector<bool>& taken, const std::string& what,
                                    const std::string& data_name) {
  const int64_t num_labels = labels.size(1);
  const auto* l = labels.data_ptr<uint8_t>();
  std::vector<int64_t> open(num_labels, per_label), chosen;
  for (const int64_t i : candidates) {
    if (taken[i]) continue;
    for (int64_t c = 0; c < num_labels; ++c) {
      if (l[i * num_labels + c] && open[c] > 0) {
        --open[c];
        taken[i] = true;
        chosen.push_back(i);
        break;
      }
    }
  }
  for (int64_t c = 0; c < num_labels; ++c)
    if (open[c] > 0)
      fail("data set '{}': label {} has too few items for {} {} per label ({} missing)", data_name,
           c, per_label, what, open[c]);
  return chosen;
}

}  // namespace

Split split_per_label(const Dataset& data, const SplitOptions& options) {
  data.validate();
  options.validate();
  const int64_t n = data.size();
  if (n == 0) fail("data set '{}' is empty: nothing to split", data.name);
  const auto labels = data.labels.contiguous();
  const auto order = shuffled_order(n, options.seed());
  const bool by_file = options.queries_from_test_file() && data.from_test_file.defined();
  const auto test = by_file ? data.from_test_file.contiguous() : torch::Tensor();
  const auto in_test = [&](int64_t i) { return !by_file || test.data_ptr<bool>()[i]; };
  const auto in_rest = [&](int64_t i) { return !by_file || !test.data_ptr<bool>()[i]; };
  const auto query_pool = order | views::filter(in_test) | ranges::to<std::vector>();
  const auto train_pool = order | views::filter(in_rest) | ranges::to<std::vector>();
  std::vector<bool> taken(n, false);
  auto query = take_per_label(labels, query_pool, options.queries_per_label(), taken, "queries", data.name);
  const std::vector<bool> is_query = taken;
  auto train = take_per_label(labels, train_pool, options.train_per_label(), taken, "training items", data.name);
  // `taken` now marks queries and training items alike; a query is never a training item.
  auto database = database_of(n, is_query, taken, options.train_in_database());
  return {sorted_index_tensor(query), sorted_index_tensor(train), sorted_index_tensor(database)};
}

Split split_random(const Dataset& data, int64_t queries, int64_t train, const SplitOptions& options) {
  data.validate();
  options.validate();
  const int64_t n = data.size();
  const auto order = shuffled_order(n, options.seed());
  const bool by_file = options.queries_from_test_file() && data.from_test_file.defined();
  const auto test = by_file ? data.from_test_file.contiguous() : torch::Tensor();
  // Queries first, so that training items are drawn from the rest.
  const auto query = order | views::filter([&](int64_t i) { return !by_file || test.data_ptr<bool>()[i]; }) |
                     views::take(queries) | ranges::to<std::vector>();
  std::vector<bool> is_query(n, false), is_train(n, false);
  for (const int64_t i : query) is_query[i] = true;
  const auto training =
      order | views::filter([&](int64_t i) { return !is_query[i] && (!by_file || !test.data_ptr<bool>()[i]); }) |
      views::take(train) | ranges::to<std::vector>();
  for (const int64_t i : training) is_train[i] = true;
  if (static_cast<int64_t>(query.size()) < queries || static_cast<int64_t>(training.size()) < train)
    fail("data set '{}' has {} items: too few for {} queries and {} training items", data.name, n, queries, train);
  auto database = database_of(n, is_query, is_train, options.train_in_database());
  return {sorted_index_tensor(query), sorted_index_tensor(training), sorted_index_tensor(database)};
}

NusWideSplit split_nus_wide(const Dataset& data, int64_t concepts, const SplitOptions& options) {
  data.validate();
  if (concepts < 1 || concepts > data.num_labels())
    fail("data set '{}': cannot keep {} concepts of {}", data.name, concepts, data.num_labels());
  const auto counts = data.labels.to(torch::kInt64).sum(0);
  // Stable order among equal counts: the lower label index first.
  const auto order = std::get<1>(counts.sort(/*stable=*/true, /*dim=*/0, /*descending=*/true));
  const auto kept_labels = std::get<0>(order.slice(0, 0, concepts).sort());
  auto labels = data.labels.index_select(1, kept_labels);
  const auto kept_items = labels.sum(1).nonzero().reshape({-1});
  NusWideSplit out;
  out.data = data.subset(kept_items);
  out.data.labels = labels.index_select(0, kept_items).contiguous();
  auto nus = SplitOptions(options).queries_from_test_file(false);
  out.split = split_per_label(out.data, nus);
  return out;
}

void SplitOptions::validate() const {
  if (queries_per_label() < 0) fail("split option queries_per_label must be 0 or more, got {}", queries_per_label());
  if (train_per_label() < 1) fail("split option train_per_label must be 1 or more, got {}", train_per_label());
}

void save_split(const Split& split, const std::string& dir) {
  std::filesystem::create_directories(dir);
  save_npy(dir + "/query.npy", split.query);
  save_npy(dir + "/train.npy", split.train);
  save_npy(dir + "/database.npy", split.database);
}

Split load_split(const std::string& dir, int64_t size) {
  auto load = [&](const std::string& part) {
    const std::string path = dir + "/" + part + ".npy";
    const auto indices = load_npy(path);
    if (indices.dim() != 1 || indices.scalar_type() != torch::kInt64)
      fail("'{}': split indices must be int64 [n]", path);
    if (indices.numel() && (indices.min().item<int64_t>() < 0 || indices.max().item<int64_t>() >= size))
      fail("'{}': an index is outside the data set's {} items; was the split made for other data?", path, size);
    return indices;
  };
  return {load("query"), load("train"), load("database")};
}

std::string describe(const Split& split) {
  return fmt::format("queries {}, training {}, database {}", split.query.numel(), split.train.numel(),
                     split.database.numel());
}

namespace {
KeyTable random_keys;
const auto kQueries = random_keys.integer("queries", 1000, 1, INT64_MAX, "queries drawn");
const auto kTrain = random_keys.integer("train", 5000, 1, INT64_MAX, "training items drawn (from the non-queries)");

KeyTable nus_wide_keys;
const auto kConcepts = nus_wide_keys.integer("concepts", 21, 1, kMaxLabels, "the most frequent labels kept");
}  // namespace

void register_split_protocols(SplitProtocolRegistry& registry) {
  registry.add("per-label", [](Dataset data, const ConfigSection&, const SplitOptions& o) {
    auto split = split_per_label(data, o);
    return LoadedData{std::move(data), std::move(split)};
  }, "counts per label (the paper's CIFAR-10 protocol)");
  registry.add("random", [](Dataset data, const ConfigSection& s, const SplitOptions& o) {
    auto split = split_random(data, kQueries(s), kTrain(s), o);
    return LoadedData{std::move(data), std::move(split)};
  }, "counts drawn uniformly, whatever the labels (MIRFlickr-25K)", &random_keys);
  registry.add("nus-wide", [](Dataset data, const ConfigSection& s, const SplitOptions& o) {
    auto nus = split_nus_wide(data, kConcepts(s), o);
    return LoadedData{std::move(nus.data), std::move(nus.split)};
  }, "the most frequent concepts kept, then counts per concept", &nus_wide_keys);
}

}  // namespace hashrl
