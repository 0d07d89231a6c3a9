#pragma once
// TargetCode-v0: a second, small env that shares nothing with HashEnv but the Env interface. It
// exists to prove that rollout(), the learners, check_env and the Trainer are generic: the tests
// run it through all of them.
//
// Each of B episodes is one row: a feature vector x from the data set's training split. Its hidden
// target is the code [x W > 0] of a fixed random projection W [D, q]. The group reward is the
// fraction of the step's k bits that match the target; the global reward, on the last step, is
// minus the mean squared distance of the relaxed code (probs) to the target, with its gradient.
#include <torch/types.h>

#include <vector>

#include "hashrl/env/env.h"

namespace hashrl::test {

struct TargetCodeOptions {
  int64_t code_length = 8, group_size = 4, batch_size = 8;
  bool pays_global = true;  // false: an env with the group term only
  int64_t samples_per_state = 1;  // K: episodes run from each drawn row (batch_size x K in all)
  uint64_t seed = 0;        // draws W and the episodes' rows
};

class TargetCodeEnv : public Env {
 public:
  // `features`: float [N, D], the rows episodes draw from.
  TargetCodeEnv(TargetCodeOptions options, torch::Tensor features);

  const EnvSpec& spec() const override { return spec_; }
  std::pair<Observation, Info> reset(std::optional<uint64_t> seed = std::nullopt) override;
  StepResult step(const Action& action) override;
  torch::Tensor observe_features(const torch::Tensor& items) override { return items.to(torch::kFloat32); }

 private:
  TargetCodeOptions options_;
  EnvSpec spec_;
  torch::Tensor features_, projection_;  // [N, D], W [D, q]
  at::Generator generator_;
  torch::Tensor observed_, target_, bits_;  // this episode's [B, D], [B, q], [B, q]
  std::vector<torch::Tensor> probs_;
  int64_t step_ = -1;                      // -1 before the first reset
};

// Registers TargetCode-v0 in env_registry() (once), over the [data] training split's features;
// it reads env.code_length, env.group_size, env.batch_size, env.pays_global, env.samples_per_state
// and train.seed.
void register_target_code_env();

}  // namespace hashrl::test
