// MNIST-family IDX files: a big-endian header (magic, dimension sizes) and then uint8 data.
#include <sys/stat.h>
#include <zlib.h>

#include <torch/torch.h>

#include <cstring>

#include "hashrl/common/error.h"
#include "hashrl/common/file_error.h"
#include "hashrl/common/limits.h"
#include "hashrl/data/data_source.h"
#include "hashrl/data/readers.h"

namespace hashrl {
namespace {

// Reads a file through zlib, which passes uncompressed files through unchanged.
std::string read_maybe_gzipped(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail_file("cannot open '{}': no such file", path);
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) fail_file("cannot open '{}'", path);
  std::string data;
  char buffer[1 << 16];
  int n = 0;
  while ((n = gzread(file, buffer, sizeof buffer)) > 0) data.append(buffer, n);
  int err = Z_OK;
  const char* message = gzerror(file, &err);
  const std::string why = (n < 0 && message) ? message : "";
  gzclose(file);
  if (n < 0) fail("'{}': corrupt or truncated gzip data ({})", path, why);
  return data;
}

uint32_t big_endian(const std::string& data, size_t offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data()) + offset;
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// Checks the magic number and size of an IDX file; returns its dimension sizes.
std::vector<int64_t> idx_header(const std::string& data, const std::string& path, uint32_t magic) {
  const size_t dims = magic & 0xff;
  if (data.size() < 4 || big_endian(data, 0) != magic)
    fail("'{}': bad magic number (expected 0x{:08x}, an IDX file of {} dimension(s))", path, magic, dims);
  if (data.size() < 4 + 4 * dims) fail("'{}': truncated IDX header", path);
  std::vector<int64_t> sizes;
  int64_t count = 1;
  for (size_t i = 0; i < dims; ++i) {
    sizes.push_back(big_endian(data, 4 + 4 * i));
    // Each size fits 32 bits; their product can overflow 64, so it is bounded as it grows.
    if (sizes.back() > 0 && count > kMaxFileElements / sizes.back())
      fail("'{}': IDX header declares {} dimensions whose product is past {} bytes", path, dims, kMaxFileElements);
    count *= sizes.back();
  }
  const size_t expected = 4 + 4 * dims + static_cast<size_t>(count);
  if (data.size() != expected)
    fail("'{}': IDX file holds {} bytes, its header needs {}{}", path, data.size(), expected,
         data.size() < expected ? " (truncated)" : "");
  return sizes;
}

torch::Tensor idx_payload(const std::string& data, size_t header, std::vector<int64_t> shape) {
  auto t = torch::empty(shape, torch::kUInt8);
  // An empty tensor has no storage: memcpy from or to null is undefined even for 0 bytes (UBSan).
  if (t.numel() > 0) std::memcpy(t.data_ptr(), data.data() + header, t.numel());
  return t;
}

std::string existing(const std::string& dir, const std::string& stem) {
  struct stat st {};
  for (const auto& name : {stem + ".gz", stem})
    if (::stat((dir + "/" + name).c_str(), &st) == 0) return dir + "/" + name;
  fail("'{}': no {} or {}.gz there", dir, stem, stem);
}

}  // namespace

Dataset read_idx(const std::string& images_path, const std::string& labels_path,
                 const std::string& name, int64_t num_classes) {
  return parse_idx(read_maybe_gzipped(images_path), images_path, read_maybe_gzipped(labels_path), labels_path, name,
                   num_classes);
}

Dataset parse_idx(const std::string& images, const std::string& images_path, const std::string& labels,
                  const std::string& labels_path, const std::string& name, int64_t num_classes) {
  const auto image_dims = idx_header(images, images_path, 0x803);
  const auto label_dims = idx_header(labels, labels_path, 0x801);
  if (image_dims[0] != label_dims[0])
    fail("'{}' holds {} images but '{}' holds {} labels", images_path, image_dims[0], labels_path,
         label_dims[0]);
  Dataset out;
  out.name = name;
  out.images = idx_payload(images, 16, {image_dims[0], 1, image_dims[1], image_dims[2]});
  out.labels = one_hot_labels(idx_payload(labels, 8, {label_dims[0]}), num_classes, labels_path);
  out.validate();
  return out;
}

Dataset read_idx_dir(const std::string& dir, const std::string& name) {
  auto train = read_idx(existing(dir, "train-images-idx3-ubyte"), existing(dir, "train-labels-idx1-ubyte"), name);
  auto test = read_idx(existing(dir, "t10k-images-idx3-ubyte"), existing(dir, "t10k-labels-idx1-ubyte"), name);
  train.from_test_file = torch::zeros({train.size()}, torch::kBool);
  test.from_test_file = torch::ones({test.size()}, torch::kBool);
  return concat(train, test, name);
}

namespace {
KeyTable fashion_mnist_keys;
const auto kFashionMnistPath = fashion_mnist_keys.text("path", kDebianFashionMnistDir, "the IDX folder",
                                                       "Debian's Fashion-MNIST");
}  // namespace

void register_idx_readers(DataReaderRegistry& registry) {
  registry.add("fashion-mnist", [](const ConfigSection& s) { return read_idx_dir(kFashionMnistPath(s), "fashion-mnist"); },
               "Fashion-MNIST's IDX files (Debian's dataset-fashion-mnist by default)", &fashion_mnist_keys);
  registry.add("mnist", [](const ConfigSection& s) { return read_idx_dir(required_folder(s, "IDX folder"), "mnist"); },
               "a folder of IDX files as MNIST ships them", &folder_reader_keys());
}

}  // namespace hashrl
