// Image lists (`path 0 1 0 ...` per line) decoded with stb_image and resized with stb_image_resize.
#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

#include <torch/torch.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "hashrl/common/error.h"
#include "hashrl/common/files.h"
#include "hashrl/env/readers.h"

namespace hashrl {
namespace {

// Decodes one image file to RGB, resized to size x size, written into `out` as [3, size, size].
void decode_into(const std::string& path, int64_t size, uint8_t* out, const std::string& where) {
  const std::string bytes = read_file(path);
  int w = 0, h = 0, channels = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
      stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()),
                            &w, &h, &channels, 3),
      stbi_image_free);
  if (!pixels) fail("{}: cannot decode image '{}': {}", where, path, stbi_failure_reason());
  std::vector<uint8_t> resized(static_cast<size_t>(size * size * 3));
  if (!stbir_resize_uint8(pixels.get(), w, h, 0, resized.data(), static_cast<int>(size),
                          static_cast<int>(size), 0, 3))
    fail("{}: cannot resize image '{}'", where, path);
  // Interleaved HWC -> planar CHW.
  const int64_t plane = size * size;
  for (int64_t i = 0; i < plane; ++i)
    for (int c = 0; c < 3; ++c) out[c * plane + i] = resized[static_cast<size_t>(i * 3 + c)];
}

}  // namespace

Dataset read_image_list(const std::string& list_path, const std::string& root, int64_t image_size) {
  if (image_size < 1) fail("'{}': image size must be positive, got {}", list_path, image_size);
  std::istringstream list(read_file(list_path));
  std::vector<std::string> paths;
  std::vector<int64_t> line_numbers;
  std::vector<std::vector<uint8_t>> labels;
  std::string line;
  for (int64_t line_no = 1; std::getline(list, line); ++line_no) {
    std::istringstream fields(line);
    std::string path, value;
    if (!(fields >> path)) continue;  // blank line
    std::vector<uint8_t> row;
    while (fields >> value) {
      if (value != "0" && value != "1")
        fail("{}:{}: label '{}' is not 0 or 1", list_path, line_no, value);
      row.push_back(value == "1");
    }
    if (!labels.empty() && row.size() != labels.front().size())
      fail("{}:{}: {} labels, but the first line has {}", list_path, line_no, row.size(),
           labels.front().size());
    if (row.empty()) fail("{}:{}: no labels after the image path", list_path, line_no);
    paths.push_back(path.front() == '/' ? path : root + "/" + path);
    labels.push_back(std::move(row));
    line_numbers.push_back(line_no);
  }
  if (paths.empty()) fail("'{}': the image list is empty", list_path);

  const int64_t n = static_cast<int64_t>(paths.size()), num_labels = static_cast<int64_t>(labels.front().size());
  Dataset out;
  out.name = list_path;
  out.images = torch::empty({n, 3, image_size, image_size}, torch::kUInt8);
  out.labels = torch::empty({n, num_labels}, torch::kUInt8);
  const int64_t image_bytes = 3 * image_size * image_size;
  for (int64_t i = 0; i < n; ++i) {
    decode_into(paths[i], image_size, out.images.data_ptr<uint8_t>() + i * image_bytes,
                fmt::format("{}:{}", list_path, line_numbers[i]));
    std::memcpy(out.labels.data_ptr<uint8_t>() + i * num_labels, labels[i].data(), num_labels);
  }
  out.validate();
  return out;
}

}  // namespace hashrl
