#include "hashrl/encoders/vgg.h"

#include <torch/serialize.h>
#include <torch/torch.h>

#include <cmath>

#include "hashrl/common/error.h"
#include "hashrl/common/files.h"

namespace hashrl {
namespace {

// Configuration E: 16 convolutions in five blocks, 0 = max-pool.
constexpr int kConfigE[] = {64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0,
                            512, 512, 512, 512, 0, 512, 512, 512, 512, 0};

const VggOptions kDefaults;
KeyTable keys;
const auto kWidth = keys.real("width", kDefaults.width(), 1e-3, 16.0,
                              "channel multiplier (0.25: a quarter of every convolution's channels)");
const auto kFcDim = keys.integer("fc_dim", kDefaults.fc_dim(), 1, 16384, "width of fc6 and fc7");
const auto kPool = keys.integer("pool", kDefaults.pool(), 1, 64, "side of the adaptive average pool before fc6");
const auto kOutput = keys.choice("output", kDefaults.output(), kVggOutputs,
                                 "fc7 (the paper's features) or pool (the pooled convolutional trunk)");
const auto kChannelsLast = keys.flag("channels_last", kDefaults.channels_last(),
                                    "convolutions in channels-last (NHWC) layout, faster with oneDNN; false: NCHW, "
                                    "as runs before 2026-12-07 (bit for bit)");
const auto kWeights = keys.text("weights", "",
                                "weights file to load (torchvision names, scripts/export_vgg_weights.py); "
                                "empty: He initialisation");

int64_t scaled(int64_t channels, double width) {
  return std::max<int64_t>(1, std::lround(channels * width));
}

}  // namespace

const KeyTable& vgg_keys() { return keys; }

void VggOptions::validate() const {
  if (!(width() >= 1e-3 && width() <= 16.0)) fail("VggOptions::width must be in [0.001, 16], got {}", width());
  if (fc_dim() < 1 || fc_dim() > 16384) fail("VggOptions::fc_dim must be in [1, 16384], got {}", fc_dim());
  if (pool() < 1 || pool() > 64) fail("VggOptions::pool must be in [1, 64], got {}", pool());
  if (in_channels() < 1 || in_channels() > 3) fail("VggOptions::in_channels must be 1, 2 or 3, got {}", in_channels());
  choice_name(output(), kVggOutputs);  // throws on a value cast from a stray integer
}

Vgg19::Vgg19(const VggOptions& options, Preprocess preprocess)
    : options_(options), preprocess_(std::move(preprocess)) {
  options_.validate();
  namespace nn = torch::nn;
  features_ = nn::Sequential();
  int64_t channels = options.in_channels();
  for (const int c : kConfigE) {
    if (c == 0) {
      features_->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2).stride(2)));
      continue;
    }
    const int64_t out = scaled(c, options.width());
    features_->push_back(nn::Conv2d(nn::Conv2dOptions(channels, out, 3).padding(1)));
    if (options.batch_norm()) features_->push_back(nn::BatchNorm2d(out));
    features_->push_back(nn::ReLU(nn::ReLUOptions(true)));
    channels = out;
  }
  trunk_channels_ = channels;
  const int64_t flat = channels * options.pool() * options.pool();
  classifier_ = nn::Sequential(nn::Linear(flat, options.fc_dim()), nn::ReLU(nn::ReLUOptions(true)),
                               nn::Dropout(0.5), nn::Linear(options.fc_dim(), options.fc_dim()),
                               nn::ReLU(nn::ReLUOptions(true)), nn::Dropout(0.5),
                               nn::Linear(options.fc_dim(), 1000));
  register_module("features", features_);
  register_module("classifier", classifier_);
  reset_parameters();
  if (!options.channels_last()) return;
  // Channels-last (NHWC) weights and activations: oneDNN's convolutions take that layout as it is,
  // where NCHW costs a reorder into and out of its blocked layout at every convolution, forward
  // and backward; batch norm, ReLU and max-pool keep the layout (bench/README.md has the gain).
  // Loading weights copies into these tensors, so the layout stays.
  torch::NoGradGuard no_grad;
  for (auto& module : features_->modules(/*include_self=*/false)) {
    if (auto* conv = module->as<torch::nn::Conv2d>()) {
      conv->weight.set_data(conv->weight.contiguous(torch::MemoryFormat::ChannelsLast));
    }
  }
}

void Vgg19::reset_parameters() {
  // He initialisation throughout, so that activations keep their scale at any width: LibTorch's
  // default (kaiming-uniform, a = sqrt(5)) shrinks the signal at each of the 16 convolutions, and
  // torchvision's N(0, 0.01) for the linear layers suits only fc6's 25,088 inputs; a CPU-sized
  // variant would hand the policy features that are all but zero. Loaded weights replace all this.
  torch::NoGradGuard no_grad;
  for (auto& module : modules(/*include_self=*/false)) {
    if (auto* conv = module->as<torch::nn::Conv2d>()) {
      torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
      torch::nn::init::zeros_(conv->bias);
    } else if (auto* bn = module->as<torch::nn::BatchNorm2d>()) {
      torch::nn::init::ones_(bn->weight);
      torch::nn::init::zeros_(bn->bias);
    } else if (auto* linear = module->as<torch::nn::Linear>()) {
      torch::nn::init::kaiming_normal_(linear->weight, 0.0, torch::kFanIn, torch::kReLU);
      torch::nn::init::zeros_(linear->bias);
    }
  }
}

torch::Tensor Vgg19::forward(const torch::Tensor& input) {
  if (input.dim() != 4) fail("vgg encoder expects images [N, C, H, W], got {}", input.sizes());
  if (std::min(input.size(2), input.size(3)) < 32 && preprocess_.size < 32)
    fail("vgg encoder needs images of at least 32x32 (five 2x2 pools); got {}x{}: set "
         "encoder.image_size = 32", input.size(2), input.size(3));
  auto x = preprocess_(input);
  if (options_.channels_last()) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
  x = features_->forward(x);
  x = torch::adaptive_avg_pool2d(x, {options_.pool(), options_.pool()}).flatten(1);
  if (options_.output() == VggOutput::kPool) return x;
  // classifier[0..4]: fc6, ReLU, dropout, fc7, ReLU; fc8 (classifier.6) is not part of the state.
  auto& c = *classifier_;
  x = torch::relu(c.ptr<torch::nn::LinearImpl>(0)->forward(x));
  x = c.ptr<torch::nn::DropoutImpl>(2)->forward(x);
  x = torch::relu(c.ptr<torch::nn::LinearImpl>(3)->forward(x));
  return x;
}

int64_t Vgg19::output_dim() const {
  return options_.output() == VggOutput::kFc7 ? options_.fc_dim()
                                             : trunk_channels_ * options_.pool() * options_.pool();
}

std::string Vgg19::describe() const {
  return fmt::format("vgg19{} width={} fc_dim={} pool={} output={} in_channels={} channels_last={} preprocess[{}]",
                     options_.batch_norm() ? "_bn" : "", options_.width(), options_.fc_dim(), options_.pool(),
                     choice_name(options_.output(), kVggOutputs), options_.in_channels(), options_.channels_last(),
                     preprocess_.describe());
}

namespace {

std::shared_ptr<Encoder> make_vgg(const ConfigSection& section, const EncoderInput& input, bool batch_norm) {
  if (!input.images) fail("encoder kind vgg19 needs image data, but the data set holds features");
  Preprocess preprocess = Preprocess::from_config(section);
  const auto options = VggOptions()
                           .batch_norm(batch_norm)
                           .width(kWidth(section))
                           .fc_dim(kFcDim(section))
                           .pool(kPool(section))
                           .output(kOutput(section))
                           .in_channels(preprocess.channels)
                           .channels_last(kChannelsLast(section));
  auto vgg = std::make_shared<Vgg19>(options, preprocess);
  const std::string weights = kWeights(section);
  if (!weights.empty()) load_named_weights(*vgg, weights);
  return vgg;
}

}  // namespace

void register_vgg(EncoderRegistry& registry) {
  // Composed at first use, when the preprocessing keys (encoder.cpp) are initialised too.
  static const KeyTable vgg_and_preprocess = [] {
    KeyTable t = keys;
    t.append(preprocess_keys());
    return t;
  }();
  registry.add("vgg19", [](const ConfigSection& s, const EncoderInput& in) { return make_vgg(s, in, false); },
               "VGG-19 (configuration E), torchvision layout", &vgg_and_preprocess);
  registry.add("vgg19_bn", [](const ConfigSection& s, const EncoderInput& in) { return make_vgg(s, in, true); },
               "VGG-19 with batch norm, torchvision layout", &vgg_and_preprocess);
}

void load_named_weights(torch::nn::Module& module, const std::string& path) {
  const std::string bytes = read_file(path);
  c10::IValue value;
  try {
    value = torch::pickle_load(std::vector<char>(bytes.begin(), bytes.end()));
  } catch (const std::exception& e) {
    fail("'{}': not a weights file written by scripts/export_vgg_weights.py (truncated?): {}", path,
         std::string(e.what()).substr(0, 200));
  }
  if (!value.isGenericDict()) fail("'{}': expected a dict of name -> tensor", path);
  std::map<std::string, torch::Tensor> file;
  for (const auto& item : value.toGenericDict()) {
    if (!item.key().isString() || !item.value().isTensor())
      fail("'{}': expected a dict of name -> tensor", path);
    file[item.key().toStringRef()] = item.value().toTensor();
  }
  torch::NoGradGuard no_grad;
  std::set<std::string> seen;
  auto copy = [&](const std::string& name, torch::Tensor& target) {
    const auto it = file.find(name);
    if (it == file.end()) fail("'{}': missing tensor '{}' (shape {})", path, name, target.sizes());
    if (it->second.sizes() != target.sizes())
      fail("'{}': tensor '{}' has shape {}, the model needs {}", path, name, it->second.sizes(), target.sizes());
    target.copy_(it->second);
    seen.insert(name);
  };
  for (auto& p : module.named_parameters()) copy(p.key(), p.value());
  for (auto& b : module.named_buffers()) {
    // torchvision's BatchNorm keeps num_batches_tracked; LibTorch has it too.
    copy(b.key(), b.value());
  }
  for (const auto& [name, tensor] : file)
    if (!seen.count(name)) fail("'{}': tensor '{}' does not belong to this model", path, name);
}

}  // namespace hashrl
