#include "tiny_image_env.h"

#include <torch/torch.h>

#include "hashrl/encoders/encoder.h"
#include "hashrl/envs/triplet_sampler.h"
#include "hashrl/rewards/reward.h"

namespace hashrl::test {

std::unique_ptr<HashEnv> tiny_image_env(const Config& config, int64_t samples_per_state) {
  Dataset train;
  train.name = "tiny images";
  train.images = torch::randint(0, 256, {40, 1, 28, 28}, torch::TensorOptions().dtype(torch::kUInt8));
  train.labels = torch::one_hot(torch::arange(40) % 4, 4).to(torch::kUInt8);
  EncoderInput in;
  in.channels = 1, in.height = 28, in.width = 28;
  auto encoder = make_encoder(ConfigSection(config, "encoder"), in);
  auto sampler = make_triplet_sampler(ConfigSection(config, "sampler"), train.labels, 0);
  return std::make_unique<HashEnv>(
      HashEnvOptions().code_length(8).group_size(4).batch_size(4).samples_per_state(samples_per_state), train,
      std::move(encoder), make_reward(ConfigSection(config, "reward")), std::move(sampler));
}

Config tiny_image_config(bool trainable, const std::string& more) {
  return Config::from_string(
      "[encoder]\nkind = vgg19_bn\nwidth = 0.125\nfc_dim = 32\npool = 1\nimage_size = 32\nchannels = 1\n"
      "mean = 0.5\nstd = 0.5\ntrainable = " + std::string(trainable ? "true" : "false") +
      "\n[reward]\nkind = center\ncodes = bits\n[policy]\nhidden = 16\n" + more);
}

}  // namespace hashrl::test
