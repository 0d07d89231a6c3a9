#pragma once
// An index and the labels of its items, in one file: what `hashrl index build` writes and
// `hashrl serve --index FILE` loads, so that a large database is indexed once, not at every start.
//
//   save_index_file("run/index/bhash.hidx", *index, labels);   // atomic: whole or not at all
//   auto [index, labels] = load_index_file("run/index/bhash.hidx");
//
// The file holds the index's description, the packed codes, the labels (uint8 multi-hot [N, L])
// and, for a FAISS index, FAISS's own serialisation of its structure, so that loading rebuilds
// nothing; a CRC-32 over all of it catches a damaged file. Little-endian, like every machine
// hashrl runs on.
#include <torch/types.h>

#include <memory>
#include <string>

#include "hashrl/retrieval/binary_index.h"

namespace hashrl {

struct IndexFile {
  std::unique_ptr<BinaryIndex> index;
  torch::Tensor labels;  // uint8 multi-hot [index->size(), L]
};

// Throws naming the path when `labels` does not have one row per item, or the index is not one
// that make_binary_index builds.
void save_index_file(const std::string& path, const BinaryIndex& index, const torch::Tensor& labels);
// Throws naming the path when the file is missing, not an index file, truncated or damaged.
IndexFile load_index_file(const std::string& path);

}  // namespace hashrl
