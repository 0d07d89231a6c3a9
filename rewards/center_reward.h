#pragma once
// A per-image reward towards a hash centre for each label (Yuan et al., "Central Similarity
// Quantization", CVPR 2020): every label gets a fixed random code, its centre, far in Hamming
// distance from the others', and each image is rewarded for bits that agree with its label's
// centre (the mean of its labels' centres when it has several). Unlike a triplet term it never
// saturates and teaches every image of the batch every step, which is what a trunk trained from
// scratch on a few thousand labelled images lacks (docs/results.md, CIFAR-10). A triplet's
// reward is the mean of its three images'.
//
// Scored on the relaxed codes (the default) it is minus the binary cross-entropy between the
// probabilities and the centre's bits, averaged over the bits, a pathwise term; on the emitted
// bits, minus the fraction of bits that differ, a pure RL reward (with `both`, that value and the
// cross-entropy's gradient). The group reward compares the
// group's bits with the same positions of the centre, the global one the whole code.
#include <torch/arg.h>

#include <cstdint>
#include <mutex>

#include "hashrl/rewards/reward.h"
#include "hashrl/rewards/scoring_options.h"

namespace hashrl {

struct CenterRewardOptions {
  static CenterRewardOptions from_config(const ConfigSection& section);
  /// Throws naming the option when a value is not allowed (code-built options too).
  void validate() const;

  /// Which codes the reward reads, and the weights of the group and global rewards.
  TORCH_ARG(ScoringOptions, scoring);
  /// Seed of the centres: the same seed, label count and code length give the same centres.
  TORCH_ARG(int64_t, seed) = 0;
  /// Random draws of the whole set of centres; the one with the largest smallest distance wins.
  TORCH_ARG(int64_t, draws) = 64;
};

// `labels` centres of `bits` bits, float {0, 1} [labels, bits] on the CPU: of `draws` sets of
// fair coin flips from `seed`, the first with the largest smallest pairwise Hamming distance.
torch::Tensor hash_centers(int64_t labels, int64_t bits, int64_t seed, int64_t draws);

class CenterReward : public Reward {
 public:
  explicit CenterReward(CenterRewardOptions options = {});
  explicit CenterReward(const ConfigSection& section);

  torch::Tensor group_reward(const RewardInput& input) const override;
  torch::Tensor global_reward(const RewardInput& input) const override;
  bool relational() const override { return false; }
  RewardReads reads() const override;

  // Each image's target: its labels' centres averaged, float [3B, bits] on the labels' device.
  torch::Tensor targets(const torch::Tensor& labels, int64_t bits) const;

 private:
  // The reward of each triplet for codes [3B, m] against the centres' bits [first, first + m).
  torch::Tensor score(const Codes& codes, const torch::Tensor& labels, int64_t bits, int64_t first) const;

  CenterRewardOptions options_;
  std::string codes_key_ = "reward.codes";  // the key that set the scored codes, for reads()
  // Centres for the last (label count, code length) asked: fixed for a run, drawn once.
  mutable std::mutex mutex_;
  mutable torch::Tensor centers_;
};

}  // namespace hashrl
