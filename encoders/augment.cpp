#include "hashrl/encoders/augment.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "hashrl/common/error.h"

namespace hashrl {

namespace {
const AugmentOptions kDefaults;
KeyTable keys;
const auto kShift = keys.integer("augment_shift", kDefaults.shift(), 0, 64,
                                 "translate each episode image by up to this many pixels each way (black border); "
                                 "needs a trainable encoder over images");
const auto kFlip = keys.flag("augment_flip", kDefaults.flip(),
                             "mirror each episode image left to right with probability 1/2; likewise");
}  // namespace

const KeyTable& augment_keys() { return keys; }

AugmentOptions AugmentOptions::from_config(const ConfigSection& section) {
  return AugmentOptions().shift(kShift(section)).flip(kFlip(section));
}

ImageAugmenter::ImageAugmenter(AugmentOptions options, uint64_t seed)
    : options_(options), generator_(at::detail::createCPUGenerator(seed)) {}

torch::Tensor ImageAugmenter::operator()(const torch::Tensor& images) {
  if (images.dim() != 4) fail("augmentation expects images [N, C, H, W], got {}", images.sizes());
  const int64_t n = images.size(0), h = images.size(2), w = images.size(3), s = options_.shift();
  auto out = images;
  if (s > 0) {
    // Every image is a window of the zero-padded batch. Offsets are drawn on the CPU, so the
    // sequence is the same on every device.
    const auto padded = torch::constant_pad_nd(images, {s, s, s, s}, 0);
    const auto offsets = torch::randint(0, 2 * s + 1, {n, 2}, generator_, torch::kInt64);
    const auto* o = offsets.data_ptr<int64_t>();
    std::vector<torch::Tensor> windows;
    windows.reserve(n);
    for (int64_t i = 0; i < n; ++i)
      windows.push_back(padded[i].narrow(1, o[2 * i], h).narrow(2, o[2 * i + 1], w));
    out = torch::stack(windows);
  }
  if (options_.flip()) {
    const auto mirror = (torch::rand({n}, generator_) < 0.5).to(images.device()).view({n, 1, 1, 1});
    out = torch::where(mirror, out.flip({3}), out);
  }
  return out;
}

}  // namespace hashrl
