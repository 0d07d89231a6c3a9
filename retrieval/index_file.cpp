#include "hashrl/retrieval/index_file.h"

#include <torch/torch.h>

#include <cstring>

#include "hashrl/common/error.h"
#include "hashrl/common/files.h"
#include "hashrl/common/limits.h"
#include "hashrl/retrieval/faiss_index.h"
#include "hashrl/retrieval/flat_index.h"

namespace hashrl {
namespace {

constexpr char kMagic[8] = {'H', 'A', 'S', 'H', 'R', 'L', 'I', 'X'};
constexpr uint32_t kVersion = 1;

template <class T>
void put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

void put_bytes(std::string& out, const void* data, size_t size) {
  put<uint64_t>(out, size);
  out.append(static_cast<const char*>(data), size);
}

// Reads what put() wrote, failing with the path on a short file instead of reading past its end.
class Cursor {
 public:
  // Reads bytes [begin, end).
  Cursor(const std::string& bytes, size_t begin, size_t end, std::string path)
      : bytes_(bytes), end_(end), position_(begin), path_(std::move(path)) {}

  template <class T>
  T get(const char* what) {
    T value;
    std::memcpy(&value, take(sizeof(T), what), sizeof(T));
    return value;
  }
  // A length-prefixed block, its length at most `limit`.
  std::string block(const char* what, uint64_t limit) {
    const auto size = get<uint64_t>(what);
    if (size > limit) fail("'{}': the {} claims {} bytes, more than the {} it can hold", path_, what, size, limit);
    return std::string(take(static_cast<size_t>(size), what), static_cast<size_t>(size));
  }
  bool at_end() const { return position_ == end_; }

 private:
  const char* take(size_t size, const char* what) {
    if (size > end_ - position_) fail("'{}' ends inside its {}: the file is truncated", path_, what);
    const char* at = bytes_.data() + position_;
    position_ += size;
    return at;
  }

  const std::string& bytes_;
  size_t end_, position_;
  std::string path_;
};

const FlatBinaryIndex& codes_of(const BinaryIndex& index, const std::string& path) {
  if (const auto* flat = dynamic_cast<const FlatBinaryIndex*>(&index)) return *flat;
  if (const auto* faiss = dynamic_cast<const FaissBinaryIndex*>(&index)) return faiss->codes();
  fail("cannot save index '{}' to '{}': only the indexes make_binary_index builds are saved", index.description(),
       path);
}

}  // namespace

void save_index_file(const std::string& path, const BinaryIndex& index, const torch::Tensor& labels) {
  if (labels.dim() != 2 || labels.size(0) != index.size())
    fail("cannot save '{}': the labels have shape {} for an index of {} items", path, labels.sizes(), index.size());
  const auto& codes = codes_of(index, path).codes();
  const auto label_bytes = labels.to(torch::kUInt8).contiguous();
  std::vector<uint8_t> structure;
  if (const auto* faiss = dynamic_cast<const FaissBinaryIndex*>(&index)) structure = faiss->serialize();

  std::string out(kMagic, sizeof(kMagic));
  put(out, kVersion);
  const std::string description = index.description();
  put_bytes(out, description.data(), description.size());
  put<int64_t>(out, codes.bits);
  put<int64_t>(out, codes.rows);
  put<int64_t>(out, label_bytes.size(1));
  put_bytes(out, codes.data.data(), codes.bytes());
  put_bytes(out, label_bytes.data_ptr<uint8_t>(), static_cast<size_t>(label_bytes.numel()));
  put_bytes(out, structure.data(), structure.size());
  put<uint32_t>(out, crc32_of(out.data(), out.size()));
  write_file_atomic(path, out);
}

namespace {

// The file's bytes, checked: an index file (the magic), whole (the checksum) and of this version;
// `in` is then at the description.
Cursor checked_contents(const std::string& bytes, const std::string& path) {
  if (bytes.size() < sizeof(kMagic) + sizeof(uint32_t) || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0)
    fail("'{}' is not a hashrl index file (`hashrl index build` writes them)", path);
  const size_t body = bytes.size() - sizeof(uint32_t);
  uint32_t stored_crc;
  std::memcpy(&stored_crc, bytes.data() + body, sizeof(stored_crc));
  if (crc32_of(bytes.data(), body) != stored_crc) fail("'{}' is damaged: its checksum does not match", path);
  Cursor in(bytes, sizeof(kMagic), body, path);
  const auto version = in.get<uint32_t>("version");
  if (version != kVersion) fail("'{}' is an index file of version {}; this hashrl reads version {}", path, version, kVersion);
  return in;
}

}  // namespace

IndexFile load_index_file(const std::string& path) {
  const std::string bytes = read_file(path);
  Cursor in = checked_contents(bytes, path);
  const size_t body = bytes.size() - sizeof(uint32_t);
  const std::string description = in.block("description", 256);
  PackedBits codes;
  codes.bits = in.get<int64_t>("code length");
  codes.rows = in.get<int64_t>("item count");
  const auto label_columns = in.get<int64_t>("label count");
  if (codes.bits < 1 || codes.bits > 65535 || codes.rows < 0 || label_columns < 0 || label_columns > kMaxLabels)
    fail("'{}' declares {} items of {} bits with {} labels: not a valid index", path, codes.rows, codes.bits,
         label_columns);
  codes.words = (codes.bits + 63) / 64;
  const std::string packed = in.block("codes", body);
  if (packed.size() != static_cast<size_t>(codes.rows * codes.words) * sizeof(uint64_t))
    fail("'{}': {} bytes of codes for {} items of {} bits", path, packed.size(), codes.rows, codes.bits);
  codes.data.resize(static_cast<size_t>(codes.rows * codes.words));
  std::memcpy(codes.data.data(), packed.data(), packed.size());
  const std::string labels = in.block("labels", body);
  if (labels.size() != static_cast<size_t>(codes.rows * label_columns))
    fail("'{}': {} bytes of labels for {} items of {} labels", path, labels.size(), codes.rows, label_columns);
  const std::string structure = in.block("index structure", body);
  if (!in.at_end()) fail("'{}' holds bytes after its index: not a file this hashrl wrote", path);

  IndexFile out;
  out.labels = torch::empty({codes.rows, label_columns}, torch::kUInt8);
  std::memcpy(out.labels.data_ptr<uint8_t>(), labels.data(), labels.size());
  FlatBinaryIndex flat(std::move(codes));
  if (structure.empty()) {
    if (description != "flat") fail("'{}': index '{}' was saved without its structure", path, description);
    out.index = std::make_unique<FlatBinaryIndex>(std::move(flat));
  } else {
    out.index = std::make_unique<FaissBinaryIndex>(description, std::move(flat),
                                                   std::vector<uint8_t>(structure.begin(), structure.end()));
  }
  return out;
}

}  // namespace hashrl
