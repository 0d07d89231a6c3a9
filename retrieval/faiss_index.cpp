#include "hashrl/retrieval/faiss_index.h"

#include <faiss/IndexBinary.h>
#include <faiss/IndexBinaryFlat.h>
#include <faiss/IndexBinaryHNSW.h>
#include <faiss/IndexBinaryHash.h>
#include <faiss/IndexBinaryIVF.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/io.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>

#include <algorithm>

#include "hashrl/common/error.h"
#include "hashrl/retrieval/faiss_spec.h"
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

// Sets the search parameters parse_faiss_spec checked: nprobe (BIVF: lists probed), nflip (BHash:
// bits flipped around each query's bucket), efSearch (BHNSW: the search's candidate list).
void apply_parameters(faiss::IndexBinary& index, const std::vector<std::pair<std::string, int64_t>>& parameters) {
  for (const auto& [name, value] : parameters) {
    if (auto* ivf = dynamic_cast<faiss::IndexBinaryIVF*>(&index); ivf && name == "nprobe")
      ivf->nprobe = static_cast<size_t>(value);
    if (auto* hash = dynamic_cast<faiss::IndexBinaryHash*>(&index); hash && name == "nflip")
      hash->nflip = static_cast<int>(value);
    if (auto* multi = dynamic_cast<faiss::IndexBinaryMultiHash*>(&index); multi && name == "nflip")
      multi->nflip = static_cast<int>(value);
    if (auto* hnsw = dynamic_cast<faiss::IndexBinaryHNSW*>(&index); hnsw && name == "efSearch")
      hnsw->hnsw.efSearch = static_cast<int>(value);
  }
}

}  // namespace

FaissBinaryIndex::FaissBinaryIndex(std::string description, int64_t bits)
    : description_(std::move(description)), codes_(bits) {
  const auto spec = parse_faiss_spec(description_, bits);
  try {
    index_.reset(faiss::index_binary_factory(static_cast<int>(padded(bits)), spec.factory.c_str()));
  } catch (const faiss::FaissException& e) {
    // what(), not msg: FAISS sizes msg by its format buffer, NULs after the text.
    fail("binary index '{}' for {}-bit codes: FAISS does not build it ({}); try BFlat, BIVF<lists>, BHNSW<M>, "
         "BHash<b> or BHash<n>x<b>", description_, bits, std::string(e.what()));
  }
  apply_parameters(*index_, spec.parameters);
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
  apply_parameters(*index_, parse_faiss_spec(description_, bits()).parameters);
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
  // FAISS's HNSW dereferences its first vertex even when given none (found by fuzz_index_factory).
  if (packed.rows == 0) return;
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
  if (exact_) return codes_.search(query, k);
  return search_many(query.reshape({1, -1}), k).front();
}

std::vector<std::vector<Hit>> FaissBinaryIndex::search_many(const torch::Tensor& queries, int64_t k) const {
  if (exact_) return codes_.search_many(queries, k);
  if (k < 0) fail("search: k must not be negative, got {}", k);
  k = std::min(k, size());
  const auto packed = pack_codes(queries, "query codes");
  if (packed.bits != bits()) fail("the queries have {} bits, the index {}", packed.bits, bits());
  std::vector<std::vector<Hit>> out(static_cast<size_t>(packed.rows));
  if (k == 0 || packed.rows == 0) return out;
  const auto bytes = faiss_bytes(packed, index_->code_size);
  std::vector<int32_t> distances(static_cast<size_t>(k * packed.rows));
  std::vector<faiss::IndexBinary::idx_t> ids(static_cast<size_t>(k * packed.rows));
  index_->search(packed.rows, bytes.data(), k, distances.data(), ids.data());
  for (int64_t q = 0; q < packed.rows; ++q) {
    auto& hits = out[q];
    for (int64_t i = q * k; i < (q + 1) * k; ++i)
      if (ids[i] >= 0) hits.push_back({ids[i], distances[i]});
    std::sort(hits.begin(), hits.end(), in_rank_order);
  }
  return out;
}

}  // namespace hashrl
