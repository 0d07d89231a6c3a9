#include "hashrl/encoders/encoder.h"

#include <torch/torch.h>

#include "hashrl/common/error.h"

namespace hashrl {
namespace {

KeyTable shared_keys;
const auto kKind = shared_keys.name_of("kind", "identity", "an encoder (below)", "how items become features");
const auto kTrainable = shared_keys.flag("trainable", true, "fine-tune with the policy (the paper) or freeze");

const Preprocess kPreprocessDefaults;
KeyTable preprocess_table;
const auto kImageSize = preprocess_table.integer("image_size", kPreprocessDefaults.size, 0, 4096,
                                                 "resize images to this side first (0: keep); vgg needs at least 32");
const auto kChannels = preprocess_table.integer("channels", kPreprocessDefaults.channels, 1, 3,
                                                "grey images are replicated to this many channels");
const auto kMean = preprocess_table.list("mean", {}, "per-channel mean, one value per channel",
                                                "ImageNet's; 0.5 when channels = 1");
const auto kStd = preprocess_table.list("std", {}, "per-channel standard deviation, one value per channel",
                                               "ImageNet's; 0.5 when channels = 1");

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

const KeyTable& preprocess_keys() { return preprocess_table; }

Preprocess Preprocess::from_config(const ConfigSection& section) {
  Preprocess p;
  p.size = kImageSize(section);
  p.channels = kChannels(section);
  auto numbers = [&](const Key<std::vector<std::string>>& key, const std::vector<double>& fallback) {
    std::vector<std::string> text;
    for (const double v : fallback) text.push_back(fmt::format("{}", v));
    std::vector<double> out;
    for (const auto& item : key(section, text)) out.push_back(std::stod(item));
    if (static_cast<int64_t>(out.size()) != p.channels)
      fail("config key '{}': needs {} values, one per channel", section.key(key.name()), p.channels);
    return out;
  };
  const bool grey = p.channels == 1;
  p.mean = numbers(kMean, grey ? std::vector<double>{0.5} : p.mean);
  p.std = numbers(kStd, grey ? std::vector<double>{0.5} : p.std);
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

const KeyTable& encoder_keys() { return shared_keys; }

// The built-ins, each registered by a function in its own file (docs/extending.md: why by name).
void register_vgg(EncoderRegistry& registry);

EncoderRegistry& encoder_registry() {
  static EncoderRegistry registry = [] {
    EncoderRegistry r("encoder");
    r.add("identity",
          [](const ConfigSection&, const EncoderInput& in) { return std::make_shared<IdentityEncoder>(in); },
          "features as they are; images as pixels in [0, 1]");
    register_vgg(r);
    return r;
  }();
  return registry;
}

std::string encoder_kind(const ConfigSection& section) { return encoder_registry().name_in(kKind, section); }

std::shared_ptr<Encoder> make_encoder(const ConfigSection& section, const EncoderInput& input) {
  auto encoder = encoder_registry().create(kKind, section, section, input);
  encoder->set_trainable(kTrainable(section));
  return encoder;
}

}  // namespace hashrl
