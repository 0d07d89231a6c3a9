#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/env/encoder.h"
#include "hashrl/env/vgg.h"

using namespace hashrl;

namespace {

std::shared_ptr<Encoder> small_vgg(const std::string& extra = "") {
  const Config c = Config::from_string("[encoder]\nkind = vgg19_bn\nwidth = 0.125\nfc_dim = 64\npool = 1\n"
                                       "image_size = 32\nchannels = 1\nmean = 0.5\nstd = 0.5\n" + extra);
  EncoderInput in;
  in.channels = 1, in.height = 28, in.width = 28;
  return make_encoder(ConfigSection(c, "encoder"), in);
}

}  // namespace

TEST_CASE("an untrained VGG tells images apart, in train and in eval mode") {
  auto encoder = small_vgg();
  const auto images = torch::randint(0, 256, {6, 1, 28, 28}).to(torch::kUInt8);
  for (const bool train : {true, false}) {
    encoder->train(train);
    torch::NoGradGuard no_grad;
    const auto f = encoder->forward(images);
    CHECK(f.sizes() == std::vector<int64_t>{6, 64});
    // Rows differ from each other by a margin that is not round-off.
    const auto spread = (f - f.mean(0, true)).abs().mean().item<double>();
    INFO("train mode " << train << ", spread " << spread << ", mean " << f.abs().mean().item<double>());
    CHECK(spread > 1e-3 * (f.abs().mean().item<double>() + 1e-12));
    CHECK(f.abs().mean().item<double>() > 1e-4);
  }
}

TEST_CASE("a frozen encoder has no trainable parameters and runs in eval mode") {
  auto encoder = small_vgg("trainable = false\n");
  CHECK(!encoder->is_training());
  for (const auto& p : encoder->parameters()) CHECK(!p.requires_grad());
}

TEST_CASE("vgg parameter names follow torchvision's state-dict keys") {
  auto encoder = small_vgg();
  const auto params = encoder->named_parameters();
  for (const char* name : {"features.0.weight", "features.1.weight", "features.1.bias", "features.49.weight",
                           "classifier.0.weight", "classifier.3.weight", "classifier.6.bias"})
    CHECK(params.contains(name));
  CHECK(encoder->named_buffers().contains("features.1.running_mean"));
  CHECK_THROWS_WITH(small_vgg("image_size = 16\n")->forward(torch::zeros({1, 1, 16, 16}, torch::kUInt8)),
                    Catch::Contains("32x32"));
}
