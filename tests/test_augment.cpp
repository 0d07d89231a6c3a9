#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <set>

#include "hashrl/encoders/augment.h"
#include "hashrl/env/check_env.h"
#include "hashrl/envs/env_registry.h"
#include "support.h"

using namespace hashrl;

namespace {

// Distinct pixel values, so that a shifted or mirrored image can only match one placement.
torch::Tensor numbered_images(int64_t n, int64_t side) {
  return torch::arange(1, n * side * side + 1, torch::kInt64).remainder(250).add(1).to(torch::kUInt8).view({n, 1, side, side});
}

// `image` translated by (dy, dx), the uncovered border black.
torch::Tensor translated(const torch::Tensor& image, int64_t dy, int64_t dx) {
  const int64_t h = image.size(1), w = image.size(2);
  auto out = torch::zeros_like(image);
  const int64_t y0 = std::max<int64_t>(0, dy), y1 = std::min(h, h + dy);
  const int64_t x0 = std::max<int64_t>(0, dx), x1 = std::min(w, w + dx);
  out.slice(1, y0, y1).slice(2, x0, x1).copy_(image.slice(1, y0 - dy, y1 - dy).slice(2, x0 - dx, x1 - dx));
  return out;
}

}  // namespace

TEST_CASE("augmentation off leaves images as they are") {
  const auto images = numbered_images(4, 6);
  CHECK(!AugmentOptions().enabled());
  CHECK(ImageAugmenter()(images).equal(images));
}

TEST_CASE("a flip mirrors about half of the images and leaves the others") {
  const auto images = numbered_images(200, 5);
  const auto out = ImageAugmenter(AugmentOptions().flip(true), 3)(images);
  int64_t mirrored = 0;
  for (int64_t i = 0; i < 200; ++i) {
    const bool same = out[i].equal(images[i]), mirror = out[i].equal(images[i].flip({2}));
    REQUIRE(same != mirror);
    mirrored += mirror;
  }
  CHECK(mirrored > 70);
  CHECK(mirrored < 130);
}

TEST_CASE("a shift translates each image by whole pixels within the bound, black filling the border") {
  const int64_t shift = 2;
  const auto images = numbered_images(100, 7);
  const auto out = ImageAugmenter(AugmentOptions().shift(shift), 5)(images);
  REQUIRE(out.sizes() == images.sizes());
  REQUIRE(out.scalar_type() == torch::kUInt8);
  std::set<std::pair<int64_t, int64_t>> seen;
  for (int64_t i = 0; i < 100; ++i) {
    bool found = false;
    for (int64_t dy = -shift; dy <= shift && !found; ++dy)
      for (int64_t dx = -shift; dx <= shift && !found; ++dx)
        if (out[i].equal(translated(images[i], dy, dx))) {
          found = true;
          seen.insert({dy, dx});
        }
    INFO("image " << i);
    REQUIRE(found);
  }
  CHECK(seen.size() > 15);  // of the 25 offsets: drawn, not fixed
}

TEST_CASE("augmentation has its own seeded generator, whose state a checkpoint can restore") {
  const auto images = numbered_images(16, 8);
  ImageAugmenter augment(AugmentOptions().shift(3).flip(true), 11);
  const auto saved = augment.state();
  const auto first = augment(images);
  torch::manual_seed(99);  // torch's default generator plays no part
  CHECK(ImageAugmenter(augment.options(), 11)(images).equal(first));
  CHECK(!augment(images).equal(first));
  augment.set_state(saved);
  CHECK(augment(images).equal(first));
  augment.seed(11);
  CHECK(augment(images).equal(first));
}

TEST_CASE("augmentation needs a trainable encoder over images") {
  Config config = test::synthetic_config();
  config.set("env.augment_shift", "2");
  CHECK_THROWS_WITH(make_env("HashEnv-v0", config), Catch::Contains("env.augment_shift"));
  config.set("env.augment_shift", "-1");
  CHECK_THROWS_WITH(make_env("HashEnv-v0", config), Catch::Contains("env.augment_shift"));
}

TEST_CASE("HashEnv with augmented images passes check_env, seeded determinism included", "[fashion]") {
  Config config = Config::from_string(
      "[data]\nkind = fashion-mnist\n[env]\ndevice = cpu\ncode_length = 12\ngroup_size = 4\nbatch_size = 4\n"
      "augment_shift = 2\naugment_flip = true\n[encoder]\nkind = identity\n");
  auto env = make_env("HashEnv-v0", config);
  const auto report = check_env(*env);
  INFO(report.summary());
  CHECK(report.ok());
  // The same seed gives the same episode, and it differs from the one without augmentation.
  const auto first = env->reset(7).first.features;
  CHECK(env->reset(7).first.features.equal(first));
  config.set("env.augment_shift", "0");
  config.set("env.augment_flip", "false");
  CHECK(!make_env("HashEnv-v0", config)->reset(7).first.features.equal(first));
}
