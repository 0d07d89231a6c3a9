#pragma once
// Random augmentation of the training images an episode draws: with only 500 images a class the
// trainable encoder sees each one ~90 times in the default budget, and small shifts and mirror
// images are the cheapest way to make those views differ. Only episodes are augmented; retrieval
// codes (queries, database) are always computed from the images as they are.
#include <ATen/core/Generator.h>
#include <torch/arg.h>
#include <torch/types.h>

#include "hashrl/common/config.h"
#include "hashrl/common/keys.h"

namespace hashrl {

// The keys AugmentOptions::from_config reads, augment_shift and augment_flip (in [env]).
const KeyTable& augment_keys();

struct AugmentOptions {
  static AugmentOptions from_config(const ConfigSection& section);
  bool enabled() const { return shift_ > 0 || flip_; }

  /// Translate each image by a uniform whole-pixel offset in [-shift, shift] on each axis, the
  /// uncovered border filled with 0 (black), as torchvision's RandomCrop(size, padding = shift).
  TORCH_ARG(int64_t, shift) = 0;
  /// Mirror each image left to right with probability 1/2.
  TORCH_ARG(bool, flip) = false;
};

// Applies AugmentOptions with its own CPU random generator, so that the env can reseed it on
// reset(seed) and a checkpoint can resume its exact sequence, independently of other draws.
class ImageAugmenter {
 public:
  explicit ImageAugmenter(AugmentOptions options = {}, uint64_t seed = 0);

  const AugmentOptions& options() const { return options_; }
  // uint8 or float images [N, C, H, W], any device -> the same shape, dtype and device.
  torch::Tensor operator()(const torch::Tensor& images);

  void seed(uint64_t seed) { generator_.set_current_seed(seed); }
  torch::Tensor state() const { return generator_.get_state(); }
  void set_state(const torch::Tensor& state) { generator_.set_state(state); }

 private:
  AugmentOptions options_;
  at::Generator generator_;
};

}  // namespace hashrl
