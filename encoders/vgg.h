#pragma once
// VGG-19 (configuration E) and VGG-19-BN with torchvision's exact module order and parameter
// names (features.N, classifier.N), so that torchvision's ImageNet state dicts load by name.
// The paper's state features are fc7 (4096): the first 18 weight layers.
// Its [encoder] keys (kind = vgg19 | vgg19_bn) are vgg_keys() and the preprocessing keys
// (docs/config.md).
#include <torch/arg.h>

#include "hashrl/common/choices.h"
#include "hashrl/encoders/encoder.h"

namespace hashrl {

enum class VggOutput { kFc7, kPool };
inline const Choices<VggOutput> kVggOutputs = {{"fc7", VggOutput::kFc7}, {"pool", VggOutput::kPool}};

struct VggOptions {
  /// VGG-19-BN: batch norm after every convolution.
  TORCH_ARG(bool, batch_norm) = false;
  /// Channel multiplier (0.25: a quarter of every convolution's channels), for CPU runs.
  TORCH_ARG(double, width) = 1.0;
  /// Width of fc6 and fc7 (at most 16384).
  TORCH_ARG(int64_t, fc_dim) = 4096;
  /// Side of the adaptive average pool before fc6 (torchvision: 7).
  TORCH_ARG(int64_t, pool) = 7;
  /// fc7, the paper's features, or the pooled convolutional trunk, flattened.
  TORCH_ARG(VggOutput, output) = VggOutput::kFc7;
  /// Channels of the images it takes (after preprocessing).
  TORCH_ARG(int64_t, in_channels) = 3;
  /// Convolution weights and activations in channels-last (NHWC) layout, which oneDNN takes as
  /// it is; false is the NCHW layout of runs before 2026-12-07 (their numbers bit for bit).
  TORCH_ARG(bool, channels_last) = true;

 public:
  // Throws naming the option when a value is out of its range.
  void validate() const;
};

// The [encoder] keys of vgg19 and vgg19_bn, beside the preprocessing keys.
const KeyTable& vgg_keys();

class Vgg19 : public Encoder {
 public:
  Vgg19(const VggOptions& options, Preprocess preprocess);

  torch::Tensor forward(const torch::Tensor& input) override;
  int64_t output_dim() const override;
  std::string describe() const override;

 private:
  void reset_parameters();

  VggOptions options_;
  Preprocess preprocess_;
  torch::nn::Sequential features_{nullptr}, classifier_{nullptr};
  int64_t trunk_channels_ = 0;
};

// Loads a weights file written by scripts/export_vgg_weights.py (a TorchScript-saved dict of
// name -> tensor) into `module`; every parameter and buffer must be present with the same shape,
// and the file may hold no others (classifier.6, fc8, is allowed and ignored when unused).
// Throws naming the file and the first mismatch.
void load_named_weights(torch::nn::Module& module, const std::string& path);

}  // namespace hashrl
