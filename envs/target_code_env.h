#pragma once
// TargetCode-v0: a small env that shares nothing with HashEnv but the Env interface: no images,
// no encoder, no triplets. It is the second built-in env because a learner or agent written
// against HashEnv should be tried on something that trains in seconds and whose best answer is
// known, and because running it through rollout(), the learners, check_env and the Trainer keeps
// them generic (tests/test_generic_env.cpp). docs/mdp.md describes it; docs/extending.md shows
// how an env like it is written.
//
// Each of B episodes is one row: a feature vector x drawn from the data set's training split
// (feature vectors only: [data] kind = synthetic or npy). Its hidden target is the code
// [x W > 0] of a fixed random projection W [D, q]. The group reward is the fraction of the step's
// k bits that match the target, read from the sampled bits; the global reward, on the last step,
// is minus the mean squared distance of the relaxed code (Action::probs) to the target, with its
// gradient. A perfect policy earns 1 a step and 0 at the end.
#include <torch/arg.h>
#include <torch/types.h>

#include <vector>

#include "hashrl/env/env.h"

namespace hashrl {

inline constexpr const char* kTargetCodeEnvName = "TargetCode-v0";

struct TargetCodeEnvOptions {
  // Throws naming the value: q not divisible by k, a size below 1.
  void validate() const;

  /// q, bits per code.
  TORCH_ARG(int64_t, code_length) = 8;
  /// k, bits per action group; code_length must be a multiple.
  TORCH_ARG(int64_t, group_size) = 4;
  /// Rows drawn per reset, one episode each.
  TORCH_ARG(int64_t, batch_size) = 8;
  /// false: the group reward alone (an env a pathwise learner cannot learn from).
  TORCH_ARG(bool, pays_global) = true;
  /// K: episodes run from each drawn row (batch_size x K episodes in all).
  TORCH_ARG(int64_t, samples_per_state) = 1;
  /// Draws W and the episodes' rows; reset(seed) redraws the rows from `seed`.
  TORCH_ARG(uint64_t, seed) = 0;
};

class TargetCodeEnv : public Env {
 public:
  // `features`: float [N, D], the rows episodes draw from.
  TargetCodeEnv(TargetCodeEnvOptions options, torch::Tensor features);

  const EnvSpec& spec() const override { return spec_; }
  std::pair<Observation, Info> reset(std::optional<uint64_t> seed = std::nullopt) override;
  StepResult step(const Action& action) override;
  torch::Tensor observe_features(const torch::Tensor& items) override { return items.to(torch::kFloat32); }

 private:
  TargetCodeEnvOptions options_;
  EnvSpec spec_;
  torch::Tensor features_, projection_;  // [N, D], W [D, q]
  at::Generator generator_;
  torch::Tensor observed_, target_, bits_;  // this episode's [B, D], [B, q], [B, q]
  std::vector<torch::Tensor> probs_;
  int64_t step_ = -1;  // -1 before the first reset
};

}  // namespace hashrl
