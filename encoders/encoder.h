#pragma once
// Encoders turn a batch of items (raw images or precomputed features) into the image features i of
// the state s = (h, i). They are torch modules: trainable (fine-tuned end to end with the policy,
// as in the paper) or frozen.
#include <torch/nn/module.h>
#include <torch/types.h>

#include <memory>
#include <string>
#include <vector>

#include "hashrl/common/config.h"
#include "hashrl/common/registry.h"
#include "hashrl/data/dataset.h"

namespace hashrl {

// How raw uint8 images become the encoder's float input: resized to `size` x `size` (0 keeps the
// size), scaled to [0, 1], grey replicated to `channels`, then normalised per channel.
struct Preprocess {
  int64_t size = 0;
  int64_t channels = 3;
  std::vector<double> mean = {0.485, 0.456, 0.406};  // ImageNet's, as torchvision's weights expect
  std::vector<double> std = {0.229, 0.224, 0.225};

  // Reads image_size, channels, mean and std (preprocess_keys()).
  static Preprocess from_config(const ConfigSection& section);
  torch::Tensor operator()(const torch::Tensor& images) const;
  std::string describe() const;
};

class Encoder : public torch::nn::Module {
 public:
  // uint8 images [N, C, H, W] or float features [N, D] -> float features [N, output_dim()].
  virtual torch::Tensor forward(const torch::Tensor& input) = 0;
  virtual int64_t output_dim() const = 0;
  // Everything that determines the output besides the weights (architecture, preprocessing):
  // part of the key of cached features.
  virtual std::string describe() const = 0;

  // Frozen encoders run without autograd and in eval mode; trainable ones are fine-tuned.
  bool trainable() const { return trainable_; }
  void set_trainable(bool trainable);

 private:
  bool trainable_ = true;
};

// What an encoder needs to know about its input to be built.
struct EncoderInput {
  // What a data set's items are: images [C, H, W] or feature vectors [D].
  static EncoderInput of(const Dataset& data);

  bool images = true;
  int64_t channels = 1, height = 0, width = 0;  // for images
  int64_t dim = 0;                               // for features
  std::vector<int64_t> item_sizes() const;       // [C, H, W] or [D]
};

// The preprocessing keys, for encoders that take images (vgg's table includes them).
const KeyTable& preprocess_keys();

using EncoderRegistry = Registry<std::shared_ptr<Encoder>, const ConfigSection&, const EncoderInput&>;
// Built in: identity (features as they are, or pixels scaled to [0, 1] and flattened),
// vgg19 and vgg19_bn (see vgg.h).
EncoderRegistry& encoder_registry();

// The [encoder] keys every encoder shares: kind and trainable.
const KeyTable& encoder_keys();

// The encoder `section.kind` names (identity unless told otherwise), checked against the registry.
std::string encoder_kind(const ConfigSection& section);

// Builds the encoder that `section.kind` names; `section.trainable` (default true) sets whether it
// is fine-tuned, and `section.weights` names a file of weights to load (vgg).
std::shared_ptr<Encoder> make_encoder(const ConfigSection& section, const EncoderInput& input);

}  // namespace hashrl
