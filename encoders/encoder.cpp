#include "hashrl/encoders/encoder.h"

#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/encoders/vgg.h"

namespace hashrl {
namespace {

// Features as they are; images as pixels in [0, 1], flattened. The simplest state there is, and
// the one that precomputed features need.
class IdentityEncoder : public Encoder {
 public:
  explicit IdentityEncoder(const EncoderInput& input)
      : input_(input), dim_(input.images ? input.channels * input.height * input.width : input.dim) {}

  torch::Tensor forward(const torch::Tensor& x) override {
    if (x.scalar_type() == torch::kUInt8) return x.reshape({x.size(0), -1}).to(torch::kFloat32) / 255.0;
    return x;
  }
  int64_t output_dim() const override { return dim_; }
  std::string describe() const override { return input_.images ? "identity(pixels/255)" : "identity"; }

 private:
  EncoderInput input_;
  int64_t dim_;
};

}  // namespace

EncoderInput EncoderInput::of(const Dataset& data) {
  EncoderInput in;
  in.images = data.has_images();
  if (in.images) {
    in.channels = data.images.size(1);
    in.height = data.images.size(2);
    in.width = data.images.size(3);
  } else {
    in.dim = data.features.size(1);
  }
  return in;
}

std::vector<int64_t> EncoderInput::item_sizes() const {
  return images ? std::vector<int64_t>{channels, height, width} : std::vector<int64_t>{dim};
}

Preprocess Preprocess::from_config(const ConfigSection& section) {
  Preprocess p;
  p.size = section.get_int("image_size", 0, 0, 4096);
  p.channels = section.get_int("channels", 3, 1, 3);
  auto numbers = [&](const char* key, const std::vector<double>& fallback) {
    std::vector<std::string> text;
    for (const double v : fallback) text.push_back(fmt::format("{}", v));
    std::vector<double> out;
    for (const auto& item : section.get_list(key, text)) out.push_back(std::stod(item));
    if (static_cast<int64_t>(out.size()) != p.channels)
      fail("config key '{}': needs {} values, one per channel", section.key(key), p.channels);
    return out;
  };
  const bool grey = p.channels == 1;
  p.mean = numbers("mean", grey ? std::vector<double>{0.5} : p.mean);
  p.std = numbers("std", grey ? std::vector<double>{0.5} : p.std);
  return p;
}

torch::Tensor Preprocess::operator()(const torch::Tensor& images) const {
  auto x = images.to(torch::kFloat32) / 255.0;
  if (x.size(1) == 1 && channels > 1) x = x.expand({-1, channels, -1, -1});
  if (x.size(1) != channels)
    fail("encoder expects {}-channel images, got {} channels", channels, x.size(1));
  if (size > 0 && (x.size(2) != size || x.size(3) != size))
    x = torch::nn::functional::interpolate(
        x, torch::nn::functional::InterpolateFuncOptions()
               .size(std::vector<int64_t>{size, size})
               .mode(torch::kBilinear)
               .align_corners(false));
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(x.device());
  const auto m = torch::tensor(mean, opts).view({1, -1, 1, 1});
  const auto s = torch::tensor(std, opts).view({1, -1, 1, 1});
  return (x - m) / s;
}

std::string Preprocess::describe() const {
  return fmt::format("size={} channels={} mean={} std={}", size, channels, fmt::join(mean, ","),
                     fmt::join(std, ","));
}

void Encoder::set_trainable(bool trainable) {
  trainable_ = trainable;
  for (auto& p : parameters()) p.set_requires_grad(trainable);
  if (!trainable) eval();
}

EncoderRegistry& encoder_registry() {
  static EncoderRegistry registry = [] {
    EncoderRegistry r("encoder");
    r.add("identity",
          [](const ConfigSection&, const EncoderInput& in) { return std::make_shared<IdentityEncoder>(in); },
          "features as they are; images as pixels in [0, 1]");
    r.add("vgg19",
          [](const ConfigSection& s, const EncoderInput& in) { return make_vgg(s, in, false); },
          "VGG-19 (configuration E), torchvision layout");
    r.add("vgg19_bn",
          [](const ConfigSection& s, const EncoderInput& in) { return make_vgg(s, in, true); },
          "VGG-19 with batch norm, torchvision layout");
    return r;
  }();
  return registry;
}

std::shared_ptr<Encoder> make_encoder(const ConfigSection& section, const EncoderInput& input) {
  auto encoder = encoder_registry().create(section.get_string("kind", "identity"), section, input);
  encoder->set_trainable(section.get_bool("trainable", true));
  return encoder;
}

}  // namespace hashrl
