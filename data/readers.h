#pragma once
// Readers for the data formats that hashrl takes in. Each returns a validated Dataset and rejects
// bad input (a missing file, a wrong magic number, a truncated file, counts that disagree, a label
// out of range, an undecodable image) with a hashrl::Error that names the file and the fault.
#include <cstdint>
#include <string>
#include <vector>

#include "hashrl/data/dataset.h"

namespace hashrl {

// MNIST / Fashion-MNIST IDX files, gzipped or not: an images file (magic 0x803, uint8 [N, H, W])
// and a labels file (magic 0x801, uint8 [N]) with labels in [0, num_classes).
Dataset read_idx(const std::string& images_path, const std::string& labels_path,
                 const std::string& name, int64_t num_classes = 10);

// The same on the files' (decompressed) bytes; the paths only name them in errors.
Dataset parse_idx(const std::string& images, const std::string& images_path, const std::string& labels,
                  const std::string& labels_path, const std::string& name, int64_t num_classes = 10);

// Both halves of an IDX set in `dir` (train-images-idx3-ubyte[.gz], train-labels-..., t10k-...),
// joined train first, with `from_test_file` marking the t10k part.
Dataset read_idx_dir(const std::string& dir, const std::string& name);

// Where Debian's dataset-fashion-mnist package puts Fashion-MNIST.
inline constexpr const char* kDebianFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// CIFAR-10 binary batches (1 label byte + 3072 pixel bytes per record).
Dataset read_cifar10_batch(const std::string& path);
// The same on a batch file's bytes; `path` names it in errors.
Dataset parse_cifar10_batch(const std::string& bytes, const std::string& path);
// data_batch_1..5.bin and test_batch.bin from `dir`, train first, with `from_test_file` set.
Dataset read_cifar10_dir(const std::string& dir);

// An image list as public deep-hashing code writes it: one image per line,
// `relative/path.jpg 0 1 0 ...` (a multi-hot label vector), paths relative to `root`.
// JPEG and PNG are decoded (stb_image) to RGB and resized to `image_size` x `image_size`.
Dataset read_image_list(const std::string& list_path, const std::string& root, int64_t image_size);

// One line of an image list: the image's path (as written), its line number and its labels.
struct ImageListEntry {
  std::string path;
  int64_t line = 0;
  std::vector<uint8_t> labels;
};
// The lines of an image list's text, checked (labels 0/1, one count on every line, not empty);
// `list_path` names it in errors.
std::vector<ImageListEntry> parse_image_list(const std::string& text, const std::string& list_path);

// An ImageFolder-style tree, as torchvision reads it: one subfolder per class under `root`, the
// classes in alphabetical order of their folder names (class id = position), and in each the
// JPEG, PNG, BMP and GIF files (by extension, any case) in name order. Labels are one-hot. Throws
// naming the folder when it has no class folders or a class folder has no images.
Dataset read_image_folder(const std::string& root, int64_t image_size);

// The images of checked list entries (paths as given), decoded to RGB `image_size` squares;
// `name` names the data set and, with each entry's line (when > 0), the image in errors.
Dataset decode_listed_images(const std::vector<ImageListEntry>& entries, const std::string& name, int64_t image_size);

// Precomputed features (float32 [N, D]) and labels (class ids [N] or multi-hot [N, L]) as .npy.
Dataset read_npy_features(const std::string& features_path, const std::string& labels_path);

// Gaussian clusters for tests: `per_class` points around each of `classes` random centres in
// `dim` dimensions, with noise `spread`; the same seed gives the same data.
Dataset make_synthetic(int64_t classes, int64_t per_class, int64_t dim, double spread, uint64_t seed);

}  // namespace hashrl
