#include "hashrl/retrieval/faiss_index.h"

#include <faiss/IndexBinary.h>
#include <faiss/IndexBinaryFlat.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/io.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>

#include <algorithm>

#include "hashrl/common/error.h"
#include "hashrl/retrieval/packed_codes.h"

namespace hashrl {
namespace {

// FAISS's layout: ceil(bits / 8) bytes per row, bit j in byte j / 8 at position j % 8 — the bytes
// of our little-endian words, written out so that it holds on any byte order.
std::vector<uint8_t> faiss_bytes(const PackedBits& packed, int64_t code_size) {
  std::vector<uint8_t> out(static_cast<size_t>(packed.rows * code_size));
  for (int64_t r = 0; r < packed.rows; ++r)
    for (int64_t b = 0; b < code_size; ++b)
      out[r * code_size + b] = static_cast<uint8_t>(packed.row(r)[b / 8] >> (8 * (b % 8)));
  return out;
}

int64_t padded(int64_t bits) { return (bits + 7) / 8 * 8; }

}  // namespace

FaissBinaryIndex::FaissBinaryIndex(std::string description, int64_t bits)
    : description_(std::move(description)), codes_(bits) {
  try {
    index_.reset(faiss::index_binary_factory(static_cast<int>(padded(bits)), description_.c_str()));
  } catch (const faiss::FaissException& e) {
    // what(), not msg: FAISS sizes msg by its format buffer, NULs after the text.
    fail("binary index '{}' for {}-bit codes: FAISS does not build it ({}); try BFlat, BIVF<lists>, BHNSW<M>, "
         "BHash<b> or BHash<n>x<b>", description_, bits, std::string(e.what()));
  }
  exact_ = dynamic_cast<faiss::IndexBinaryFlat*>(index_.get()) != nullptr;
}

FaissBinaryIndex::FaissBinaryIndex(std::string description, FlatBinaryIndex codes, std::vector<uint8_t> serialized)
    : description_(std::move(description)), codes_(std::move(codes)) {
  faiss::VectorIOReader reader;
  reader.data = std::move(serialized);
  try {
    index_.reset(faiss::read_index_binary(&reader));
  } catch (const faiss::FaissException& e) {
    fail("binary index '{}': FAISS cannot read its saved structure ({})", description_, std::string(e.what()));
  }
  if (index_->d != padded(bits()) || index_->ntotal != size())
    fail("binary index '{}': the saved structure holds {} codes of {} bits, the saved codes {} of {}", description_,
         index_->ntotal, index_->d, size(), bits());
  exact_ = dynamic_cast<faiss::IndexBinaryFlat*>(index_.get()) != nullptr;
}

FaissBinaryIndex::~FaissBinaryIndex() = default;

std::vector<uint8_t> FaissBinaryIndex::serialize() const {
  faiss::VectorIOWriter writer;
  faiss::write_index_binary(index_.get(), &writer);
  return std::move(writer.data);
}

void FaissBinaryIndex::add(const torch::Tensor& codes) {
  const auto packed = pack_codes(codes, "codes added to the index");
  if (packed.bits != bits()) fail("the index holds {}-bit codes; these have {} bits", bits(), packed.bits);
  const auto bytes = faiss_bytes(packed, index_->code_size);
  try {
    if (!index_->is_trained) index_->train(packed.rows, bytes.data());
    index_->add(packed.rows, bytes.data());
  } catch (const faiss::FaissException& e) {
    fail("binary index '{}': adding {} codes failed: {}", description_, packed.rows, std::string(e.what()));
  }
  codes_.add(codes);
}

std::vector<Hit> FaissBinaryIndex::search(const torch::Tensor& query, int64_t k) const {
  if (exact_) return BinaryIndex::search(query, k);
  if (k < 0) fail("search: k must not be negative, got {}", k);
  k = std::min(k, size());
  const auto packed = pack_codes(query.reshape({1, -1}), "query code");
  if (packed.bits != bits()) fail("the query has {} bits, the index {}", packed.bits, bits());
  if (k == 0) return {};
  const auto bytes = faiss_bytes(packed, index_->code_size);
  std::vector<int32_t> distances(static_cast<size_t>(k));
  std::vector<faiss::IndexBinary::idx_t> ids(static_cast<size_t>(k));
  index_->search(1, bytes.data(), k, distances.data(), ids.data());
  std::vector<Hit> hits;
  for (int64_t i = 0; i < k; ++i)
    if (ids[i] >= 0) hits.push_back({ids[i], distances[i]});
  std::sort(hits.begin(), hits.end(),
            [](const Hit& a, const Hit& b) { return a.distance != b.distance ? a.distance < b.distance : a.id < b.id; });
  return hits;
}

}  // namespace hashrl
