// ImageFolder-style trees (`root/<class>/<image>`): listed, then decoded as image lists are.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "hashrl/common/error.h"
#include "hashrl/common/file_error.h"
#include "hashrl/common/limits.h"
#include "hashrl/data/data_source.h"
#include "hashrl/data/readers.h"

namespace hashrl {
namespace {

namespace fs = std::filesystem;

KeyTable keys;
const auto kImageFolder = keys.text("path", "", "the folder holding one folder of images per class (required)");
const auto kFolderImageSize = keys.integer("image_size", 224, 1, 4096, "images are resized to this side");

bool is_image_file(const fs::directory_entry& entry) {
  if (!entry.is_regular_file()) return false;
  std::string extension = entry.path().extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".jpg" || extension == ".jpeg" || extension == ".png" || extension == ".bmp" ||
         extension == ".gif";
}

template <class Keep>
std::vector<fs::path> sorted_entries(const fs::path& dir, Keep keep) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir))
    if (keep(entry)) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Dataset read_image_folder(const std::string& root, int64_t image_size) {
  if (image_size < 1) fail("'{}': image size must be positive, got {}", root, image_size);
  std::error_code error;
  if (!fs::is_directory(root, error)) fail_file("image folder '{}' is not a folder", root);
  const auto classes = sorted_entries(root, [](const fs::directory_entry& e) { return e.is_directory(); });
  if (classes.empty()) fail("image folder '{}' has no class folders (it should hold one folder per class)", root);
  if (static_cast<int64_t>(classes.size()) > kMaxLabels)
    fail("image folder '{}' has {} class folders, more than {}", root, classes.size(), kMaxLabels);
  std::vector<ImageListEntry> entries;
  for (size_t c = 0; c < classes.size(); ++c) {
    const auto images = sorted_entries(classes[c], is_image_file);
    if (images.empty()) fail("class folder '{}' holds no JPEG, PNG, BMP or GIF image", classes[c].string());
    for (const auto& image : images) {
      ImageListEntry entry{image.string(), 0, std::vector<uint8_t>(classes.size(), 0)};
      entry.labels[c] = 1;
      entries.push_back(std::move(entry));
    }
  }
  return decode_listed_images(entries, root, image_size);
}

void register_image_folder_reader(DataReaderRegistry& registry) {
  registry.add("image-folder", [](const ConfigSection& s) {
    return read_image_folder(required_path(kImageFolder, s, "image folder"), kFolderImageSize(s));
  }, "an ImageFolder tree: one folder of JPEG/PNG images per class, classes in name order", &keys);
}

}  // namespace hashrl
