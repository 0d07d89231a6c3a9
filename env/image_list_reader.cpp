// Image lists (`path 0 1 0 ...` per line): each image decoded to RGB and resized (image_decode.h).
#include <torch/torch.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "hashrl/common/error.h"
#include "hashrl/common/files.h"
#include "hashrl/env/image_decode.h"
#include "hashrl/env/readers.h"

namespace hashrl {

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
  const DecodeOptions decode{3, image_size, image_size};
  for (int64_t i = 0; i < n; ++i) {
    const auto where = fmt::format("{}:{}: image '{}'", list_path, line_numbers[i], paths[i]);
    out.images[i].copy_(decode_image(read_file(paths[i]), decode, where));
    std::memcpy(out.labels.data_ptr<uint8_t>() + i * num_labels, labels[i].data(), num_labels);
  }
  out.validate();
  return out;
}

}  // namespace hashrl
