// Image lists (`path 0 1 0 ...` per line): each image decoded to RGB and resized (image_decode.h).
#include <torch/torch.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "hashrl/common/error.h"
#include "hashrl/common/files.h"
#include "hashrl/common/limits.h"
#include "hashrl/data/data_source.h"
#include "hashrl/data/image_decode.h"
#include "hashrl/data/readers.h"

namespace hashrl {

std::vector<ImageListEntry> parse_image_list(const std::string& text, const std::string& list_path) {
  std::istringstream list(text);
  std::vector<ImageListEntry> entries;
  std::string line;
  for (int64_t line_no = 1; std::getline(list, line); ++line_no) {
    std::istringstream fields(line);
    ImageListEntry entry{"", line_no, {}};
    if (!(fields >> entry.path)) continue;  // blank line
    std::string value;
    while (fields >> value) {
      if (value != "0" && value != "1") fail("{}:{}: label '{}' is not 0 or 1", list_path, line_no, value);
      if (static_cast<int64_t>(entry.labels.size()) == kMaxLabels)
        fail("{}:{}: more than {} labels", list_path, line_no, kMaxLabels);
      entry.labels.push_back(value == "1");
    }
    if (entry.labels.empty()) fail("{}:{}: no labels after the image path", list_path, line_no);
    if (!entries.empty() && entry.labels.size() != entries.front().labels.size())
      fail("{}:{}: {} labels, but the first line has {}", list_path, line_no, entry.labels.size(),
           entries.front().labels.size());
    entries.push_back(std::move(entry));
  }
  if (entries.empty()) fail("'{}': the image list is empty", list_path);
  return entries;
}

Dataset read_image_list(const std::string& list_path, const std::string& root, int64_t image_size) {
  if (image_size < 1) fail("'{}': image size must be positive, got {}", list_path, image_size);
  auto entries = parse_image_list(read_file(list_path), list_path);
  for (auto& entry : entries)
    if (entry.path.front() != '/') entry.path = root + "/" + entry.path;
  return decode_listed_images(entries, list_path, image_size);
}

Dataset decode_listed_images(const std::vector<ImageListEntry>& entries, const std::string& name, int64_t image_size) {
  const int64_t n = static_cast<int64_t>(entries.size()), num_labels = static_cast<int64_t>(entries.front().labels.size());
  Dataset out;
  out.name = name;
  out.images = torch::empty({n, 3, image_size, image_size}, torch::kUInt8);
  out.labels = torch::empty({n, num_labels}, torch::kUInt8);
  const DecodeOptions decode{3, image_size, image_size};
  for (int64_t i = 0; i < n; ++i) {
    const auto& entry = entries[i];
    const auto where = entry.line > 0 ? fmt::format("{}:{}: image '{}'", name, entry.line, entry.path)
                                      : fmt::format("image '{}'", entry.path);
    out.images[i].copy_(decode_image(read_file(entry.path), decode, where));
    std::memcpy(out.labels.data_ptr<uint8_t>() + i * num_labels, entry.labels.data(), num_labels);
  }
  out.validate();
  return out;
}

namespace {
KeyTable keys;
const auto kListPath = keys.text("path", "", "the list file: `path 0 1 0 ...` per line (required)");
const auto kListRoot = keys.text("root", ".", "the folder the list's paths are relative to");
const auto kListImageSize = keys.integer("image_size", 224, 1, 4096, "images are resized to this side");
}  // namespace

void register_image_list_reader(DataReaderRegistry& registry) {
  registry.add("image-list", [](const ConfigSection& s) {
    return read_image_list(required_path(kListPath, s, "image list"), kListRoot(s), kListImageSize(s));
  }, "JPEG/PNG images named in a list file with multi-hot labels", &keys);
}

}  // namespace hashrl
