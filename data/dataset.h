#pragma once
// A labelled data set held in memory: the items that an environment, an encoder or an evaluation
// reads. Readers for the supported formats live in readers.h.
#include <torch/types.h>

#include <string>

namespace hashrl {

struct Dataset {
  std::string name;
  // Raw images, uint8 [N, C, H, W] (C = 1 or 3); undefined when the set holds features instead.
  torch::Tensor images;
  // Precomputed features, float32 [N, D]; undefined when the set holds images.
  torch::Tensor features;
  // Multi-hot labels, uint8 [N, L] in {0, 1}; single-label data is one-hot.
  torch::Tensor labels;
  // bool [N]: true for items that came from the format's official test file (Fashion-MNIST's
  // t10k, CIFAR-10's test_batch); undefined where the format has no such file. Protocol splits
  // use it to draw queries from the test part, as the papers do.
  torch::Tensor from_test_file;

  int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
  int64_t num_labels() const { return labels.defined() ? labels.size(1) : 0; }
  bool has_images() const { return images.defined(); }
  // What the encoder takes: the images, or else the features.
  const torch::Tensor& items() const { return has_images() ? images : features; }

  // The items at `indices` (int64 [n]), every field sliced alike.
  Dataset subset(const torch::Tensor& indices) const;

  // Throws naming the data set when fields disagree in count, dtype or shape.
  void validate() const;
};

// Joins two data sets of the same kind (both images of one shape, or both features of one width).
Dataset concat(const Dataset& first, const Dataset& second, const std::string& name);

// One-hot uint8 [N, num_classes] from class ids [N]; throws naming `origin` on an id out of range.
torch::Tensor one_hot_labels(const torch::Tensor& class_ids, int64_t num_classes,
                             const std::string& origin);

// Labels given either as class ids [N] or as multi-hot [N, L] -> multi-hot uint8 [N, L].
torch::Tensor as_multi_hot(const torch::Tensor& labels, const std::string& origin);

}  // namespace hashrl
