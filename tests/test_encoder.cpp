#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <sstream>

#include "hashrl/common/error.h"
#include "hashrl/common/npy.h"
#include "hashrl/env/check_env.h"
#include "hashrl/encoders/encoder.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/encoders/feature_cache.h"
#include "hashrl/encoders/vgg.h"
#include "support.h"

using namespace hashrl;

namespace {

// `extra`: "key = value" lines that override the small defaults.
std::shared_ptr<Encoder> small_vgg(const std::string& extra = "") {
  Config c = Config::from_string("[encoder]\nkind = vgg19_bn\nwidth = 0.125\nfc_dim = 64\npool = 1\n"
                                 "image_size = 32\nchannels = 1\nmean = 0.5\nstd = 0.5\n");
  std::istringstream lines(extra);
  for (std::string line; std::getline(lines, line);) c.apply_override("encoder." + line);
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

TEST_CASE("vgg's channels-last layout computes what the NCHW layout computes, forward and backward") {
  auto nhwc = small_vgg(), nchw = small_vgg("channels_last = false\n");
  {
    torch::NoGradGuard no_grad;
    const auto source = nhwc->named_parameters();
    for (auto& item : nchw->named_parameters()) item.value().copy_(source[item.key()]);
  }
  const torch::Tensor conv = nhwc->named_parameters()["features.3.weight"];
  CHECK(conv.is_contiguous(torch::MemoryFormat::ChannelsLast));
  CHECK(!conv.is_contiguous());
  CHECK(nchw->named_parameters()["features.3.weight"].is_contiguous());

  const auto images = torch::randint(0, 256, {4, 1, 28, 28}).to(torch::kUInt8);
  auto run = [&](Encoder& encoder) {
    torch::manual_seed(3);  // the same dropout masks for both
    encoder.zero_grad();
    const auto features = encoder.forward(images);
    features.square().sum().backward();
    return std::pair{features.detach(), encoder.named_parameters()["features.0.weight"].grad().clone()};
  };
  const auto [f_nhwc, g_nhwc] = run(*nhwc);
  const auto [f_nchw, g_nchw] = run(*nchw);
  // The two layouts sum in different orders: equal up to round-off, relative to each one's scale.
  auto relative = [](const torch::Tensor& a, const torch::Tensor& b) {
    return ((a - b).abs().max() / b.abs().max()).item<double>();
  };
  INFO("features differ by " << relative(f_nhwc, f_nchw) << ", gradients by " << relative(g_nhwc, g_nchw)
                             << " of their largest value");
  CHECK(relative(f_nhwc, f_nchw) < 1e-4);
  CHECK(relative(g_nhwc, g_nchw) < 1e-3);
}

TEST_CASE("the feature cache reuses features only for the same weights, preprocessing and items") {
  const std::string dir = test::scratch_dir("feature-cache");
  auto encoder = small_vgg("trainable = false\n");
  const auto images = torch::randint(0, 256, {5, 1, 28, 28}).to(torch::kUInt8);
  const std::string key = feature_cache_key(*encoder, images);
  CHECK(key == feature_cache_key(*encoder, images));
  const auto first = cached_features(*encoder, images, dir, 2, "test");
  REQUIRE(std::filesystem::exists(dir + "/" + key + ".npy"));
  // Planting zeros under the key proves the second call reads the file instead of encoding.
  save_npy(dir + "/" + key + ".npy", torch::zeros_like(first));
  CHECK(cached_features(*encoder, images, dir, 2, "test").abs().sum().item<double>() == 0.0);

  auto other_items = images.clone();
  other_items[0][0][0][0] = static_cast<uint8_t>(other_items[0][0][0][0].item<int>() ^ 1);
  CHECK(feature_cache_key(*encoder, other_items) != key);
  CHECK(feature_cache_key(*small_vgg("trainable = false\nmean = 0.4\n"), images) != key);  // preprocessing
  {
    torch::NoGradGuard no_grad;
    encoder->parameters()[0].add_(1e-3);  // other weights
  }
  const std::string new_key = feature_cache_key(*encoder, images);
  CHECK(new_key != key);
  CHECK(cached_features(*encoder, images, dir, 2, "test").abs().sum().item<double>() > 0.0);
}

TEST_CASE("HashEnv with a frozen encoder encodes its training split once and passes check_env") {
  Config config = test::synthetic_config();
  config.set("encoder.trainable", "false");
  config.set("env.feature_cache_dir", test::scratch_dir("env-cache"));
  auto env = make_env("HashEnv-v0", config);
  const auto report = check_env(*env);
  INFO(report.summary());
  CHECK(report.ok());
  CHECK(std::distance(std::filesystem::directory_iterator(config.get_string("env.feature_cache_dir", "")),
                      std::filesystem::directory_iterator()) == 1);
}
