#pragma once
// HashEnv: the paper's MDP (DRLIH, section III-B). The environment is a batch of B labelled
// triplets drawn from the training split; the state is (history, image features); one action is
// a group of k bits for every image; the reward of each triplet is the group reward of that
// group, plus the global reward of the whole q-bit code on the last step (eq. 4).
#include <torch/arg.h>

#include <memory>

#include "hashrl/common/device.h"
#include "hashrl/data/dataset.h"
#include "hashrl/encoders/augment.h"
#include "hashrl/encoders/encoder.h"
#include "hashrl/env/env.h"
#include "hashrl/envs/triplet_sampler.h"
#include "hashrl/rewards/reward.h"

namespace hashrl {

// Checked before anything is allocated: far past the paper's B = 16, short of what would exhaust
// memory before the first step. (The code length's bound, kMaxCodeLength, is every env's: spaces.h.)
inline constexpr int64_t kMaxBatchSize = 4096;

// The name HashEnv is registered under, and the [env] kind when a config names none.
inline constexpr const char* kHashEnvName = "HashEnv-v0";

struct HashEnvOptions {
  static HashEnvOptions from_config(const ConfigSection& section);
  // Throws naming the value: q or k or B < 1, q or B over its bound, q not divisible by k.
  void validate() const;

  /// q, bits per code (1 to kMaxCodeLength).
  TORCH_ARG(int64_t, code_length) = 48;
  /// k, bits per action group; code_length must be a multiple.
  TORCH_ARG(int64_t, group_size) = 12;
  /// Triplets drawn per reset (1 to kMaxBatchSize).
  TORCH_ARG(int64_t, batch_size) = 16;
  /// K: episodes run from each triplet, side by side, on the same features (EnvSpec::
  /// samples_per_state); the env runs batch_size x K episodes, at most kMaxBatchSize.
  TORCH_ARG(int64_t, samples_per_state) = 1;
  /// Where episodes run (a config's default is "auto": CUDA where LibTorch has it).
  TORCH_ARG(torch::Device, device) = torch::kCPU;
  // With a frozen encoder the training split is encoded once, up front, and episodes index those
  // features; this folder caches them across runs (see feature_cache.h). Empty: no disk cache.
  TORCH_ARG(std::string, feature_cache_dir) = "";
  // Random shifts and mirror images of each episode's images (augment.h); needs a trainable
  // encoder over images, since a frozen one's features are computed once.
  TORCH_ARG(AugmentOptions, augment);
  // Seeds the augmentation's draws (make_env passes train.seed); reset(seed) reseeds them.
  TORCH_ARG(uint64_t, seed) = 0;
};

class HashEnv : public Env {
 public:
  // `train` is the training split: the items triplets are drawn from.
  HashEnv(HashEnvOptions options, Dataset train, std::shared_ptr<Encoder> encoder,
          std::shared_ptr<Reward> reward, std::unique_ptr<TripletSampler> sampler);

  const EnvSpec& spec() const override { return spec_; }
  std::pair<Observation, Info> reset(std::optional<uint64_t> seed = std::nullopt) override;
  StepResult step(const Action& action) override;
  std::vector<torch::Tensor> parameters() const override;
  torch::Tensor observe_features(const torch::Tensor& items) override;
  // The episode's images (augmented, one per row) when the encoder is trainable.
  torch::Tensor encoder_inputs() const override { return inputs_; }
  torch::Tensor encode(const torch::Tensor& inputs) override;
  void save(torch::serialize::OutputArchive& archive) const override;
  void load(torch::serialize::InputArchive& archive) override;

  Encoder& encoder() { return *encoder_; }
  TripletSampler& sampler() { return *sampler_; }
  // The training-split indices of the current batch's triplets (batch_size of them, each run by
  // samples_per_state episodes).
  const Triplets& triplets() const { return triplets_; }

 private:
  void check_action(const Action& action) const;

  HashEnvOptions options_;
  EnvSpec spec_;
  Dataset train_;  // on the env's device
  torch::Tensor train_features_;  // the frozen encoder's features of train_, when frozen
  std::shared_ptr<Encoder> encoder_;
  std::shared_ptr<Reward> reward_;
  std::unique_ptr<TripletSampler> sampler_;
  ImageAugmenter augment_;

  // Episode state.
  Triplets triplets_;
  torch::Tensor features_, bits_, labels_;  // per row; labels_: for mining rewards
  torch::Tensor inputs_;                    // per row, what a trainable encoder encoded
  std::vector<torch::Tensor> group_probs_;  // the relaxed codes of each step, with autograd history
  int64_t step_ = 0;
  bool started_ = false;
};

}  // namespace hashrl
