#pragma once
// FAISS's binary indexes behind BinaryIndex, chosen by FAISS's own factory strings: "BFlat",
// "BIVF1024" (inverted lists; trained on the first codes added), "BHNSW32" (a graph), "BHash12"
// and "BHash4x12" (hash tables on bit substrings, multi-index hashing) — sub-linear search for
// databases of millions of codes (docs/serve.md says which for which size). Search parameters
// follow the factory string after commas: "BIVF1024,nprobe=16", "BHash4x16,nflip=2",
// "BHNSW32,efSearch=64".
//
// FAISS stores a code of q bits in ceil(q / 8) bytes, its unit; the padding bits are zero in
// queries and items alike, so distances are unchanged. The index also keeps the codes packed as
// the exact index does (8 bytes per 64 bits), so that distances() and range_search() stay exact
// for every kind: per code, about ceil(q / 8) + 8 ceil(q / 64) bytes plus the FAISS structure.
//
// BFlat is exact: search() is BinaryIndex's, (distance, id) order. The others are approximate
// (exact() is false): search() returns up to k hits that may miss some of the true k nearest,
// their distances true, in (distance, id) order among themselves.
#include <memory>
#include <string>
#include <vector>

#include "hashrl/retrieval/binary_index.h"
#include "hashrl/retrieval/flat_index.h"

namespace faiss {
struct IndexBinary;
}

namespace hashrl {

class FaissBinaryIndex final : public BinaryIndex {
 public:
  // Throws naming `description` when FAISS does not know it or a number is out of its range
  // (faiss_spec.h).
  FaissBinaryIndex(std::string description, int64_t bits);
  // An index saved by serialize(), with the codes it holds (index_file.h keeps both in one file);
  // throws naming the description when the two do not agree or FAISS cannot read the bytes.
  FaissBinaryIndex(std::string description, FlatBinaryIndex codes, std::vector<uint8_t> serialized);
  ~FaissBinaryIndex() override;

  std::string description() const override { return description_; }
  int64_t bits() const override { return codes_.bits(); }
  int64_t size() const override { return codes_.size(); }
  // An untrained index (BIVF) is trained on the first codes added, which must be enough for its
  // lists (FAISS wants about 39 per list); too few is an error naming the index.
  void add(const torch::Tensor& codes) override;
  torch::Tensor code(int64_t id) const override { return codes_.code(id); }
  void distances(const uint64_t* query, int64_t begin, int64_t end, uint16_t* out) const override {
    codes_.distances(query, begin, end, out);
  }
  std::vector<Hit> search(const torch::Tensor& query, int64_t k) const override;
  // One FAISS call for all the queries (FAISS spreads them over its threads); BFlat: ours.
  std::vector<std::vector<Hit>> search_many(const torch::Tensor& queries, int64_t k) const override;
  bool exact() const override { return exact_; }

  const FlatBinaryIndex& codes() const { return codes_; }
  // FAISS's own serialisation of its structure (write_index_binary), for index files.
  std::vector<uint8_t> serialize() const;

 private:
  std::string description_;
  std::unique_ptr<faiss::IndexBinary> index_;
  FlatBinaryIndex codes_;
  bool exact_ = false;
};

}  // namespace hashrl
