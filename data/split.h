#pragma once
// Retrieval protocol splits: which items are queries, which train the hash functions, and which
// form the database that queries are ranked against. Seeded and reproducible; savable as index
// files so that two runs can share one split.
#include <torch/arg.h>
#include <torch/types.h>

#include <cstdint>
#include <string>

#include "hashrl/common/config.h"
#include "hashrl/data/dataset.h"

namespace hashrl {

struct Split {
  torch::Tensor query;     // int64 [n_query], indices into the data set, ascending
  torch::Tensor train;     // int64 [n_train]
  torch::Tensor database;  // int64 [n_database]
};

// Counts per label, as in the paper's CIFAR-10 protocol (100 queries and 500 training images a
// class, the rest the database). Multi-label items count towards one of their labels.
struct SplitOptions {
  /// The [data] keys (data_source.h) read into options; validated.
  static SplitOptions from_config(const ConfigSection& section);
  /// Throws naming the option when a value is not allowed (code-built options too).
  void validate() const;
  /// Queries drawn per label (per-label and nus-wide protocols), 0 or more.
  TORCH_ARG(int64_t, queries_per_label) = 100;
  /// Training items drawn per label (per-label and nus-wide protocols), 1 or more.
  TORCH_ARG(int64_t, train_per_label) = 500;
  /// Keep the training items in the database (the common protocol for single-label sets) or not.
  TORCH_ARG(bool, train_in_database) = true;
  /// Draw queries only from the official test file and training items only from the rest, where
  /// the data set marks its test file (Fashion-MNIST, CIFAR-10); ignored elsewhere.
  TORCH_ARG(bool, queries_from_test_file) = true;
  /// Seed of the draw.
  TORCH_ARG(uint64_t, seed) = 0;
};

Split split_per_label(const Dataset& data, const SplitOptions& options);

// Uniformly random counts, whatever the labels: `queries` queries and `train` training items (the
// MIRFlickr-25K protocol: 1,000 and 5,000). Honours train_in_database, queries_from_test_file and
// seed; throws naming the data set when it holds too few items.
Split split_random(const Dataset& data, int64_t queries, int64_t train, const SplitOptions& options);

// The NUS-WIDE protocol: keep the `concepts` most frequent labels (21), drop items that have
// none of them, then 100 queries and 500 training items per concept (2,100 and 10,500); the
// returned data set holds only the kept labels, and the split indexes into it.
struct NusWideSplit {
  Dataset data;
  Split split;
};
NusWideSplit split_nus_wide(const Dataset& data, int64_t concepts, const SplitOptions& options);

// Saves the split as query.npy, train.npy, database.npy (int64) in `dir`.
void save_split(const Split& split, const std::string& dir);
// Loads a saved split and checks every index against a data set of `size` items.
Split load_split(const std::string& dir, int64_t size);

// "queries 1000, training 5000, database 69000".
std::string describe(const Split& split);

}  // namespace hashrl
