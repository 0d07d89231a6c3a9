#pragma once
// VGG-19 (configuration E) and VGG-19-BN with torchvision's exact module order and parameter
// names (features.N, classifier.N), so that torchvision's ImageNet state dicts load by name.
// The paper's state features are fc7 (4096): the first 18 weight layers.
//
// Config keys of [encoder] for kind = vgg19 | vgg19_bn:
//   width     = 1      channel multiplier (0.25: a quarter of every conv's channels) for CPU runs
//   fc_dim    = 4096   width of fc6 and fc7
//   pool      = 7      side of the adaptive average pool before fc6 (torchvision: 7)
//   output    = fc7    fc7 | pool (the pooled conv trunk, flattened)
//   weights   =        a file written by scripts/export_vgg_weights.py; empty: random init
//   plus the preprocessing keys of Preprocess (image_size, channels, mean, std).
#include "hashrl/encoders/encoder.h"

namespace hashrl {

struct VggOptions {
  bool batch_norm = false;
  double width = 1.0;
  int64_t fc_dim = 4096;
  int64_t pool = 7;
  bool fc7_output = true;
  int64_t in_channels = 3;
};

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

std::shared_ptr<Encoder> make_vgg(const ConfigSection& section, const EncoderInput& input, bool batch_norm);

// Loads a weights file written by scripts/export_vgg_weights.py (a TorchScript-saved dict of
// name -> tensor) into `module`; every parameter and buffer must be present with the same shape,
// and the file may hold no others (classifier.6, fc8, is allowed and ignored when unused).
// Throws naming the file and the first mismatch.
void load_named_weights(torch::nn::Module& module, const std::string& path);

}  // namespace hashrl
