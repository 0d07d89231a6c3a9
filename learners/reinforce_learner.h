#pragma once
// REINFORCE with action groups (eq. 8) plus the pathwise gradient of the global reward (eq. 9):
//
//   loss = - mean_B sum_t log pi(A_t | s_t) * advantage_t          (score-function term)
//          - pathwise_weight * mean_B R_G                          (through the relaxed codes)
//          - entropy_coef * mean entropy
//
// The score-function term always uses detached rewards; the pathwise term keeps the autograd
// history that rewards computed from probs carry. Its [learner] keys are in docs/config.md.
#include <torch/nn/modules/container/sequential.h>

#include "hashrl/common/choices.h"
#include "hashrl/learners/learner.h"
#include "hashrl/learners/reward_signal.h"

namespace hashrl {

/// What is subtracted from the signal.
enum class Baseline {
  kNone,
  kBatchMean,  ///< the signal's mean over the batch, per step
  kCritic,     ///< a learned value of each step from the episode's features, fitted by MSE
};
inline const Choices<Baseline> kBaselines = {
    {"none", Baseline::kNone}, {"batch-mean", Baseline::kBatchMean}, {"critic", Baseline::kCritic}};

/// Which rewards' gradients flow through the relaxed codes (eq. 9).
enum class Pathwise {
  kNone,
  kGlobal,  ///< the global reward's (the paper)
  kAll,     ///< the global and the group rewards'
};
inline const Choices<Pathwise> kPathwise = {
    {"none", Pathwise::kNone}, {"global", Pathwise::kGlobal}, {"all", Pathwise::kAll}};

struct ReinforceOptions {
  static ReinforceOptions from_config(const ConfigSection& section);
  /// Throws naming the option when a number is out of its range (code-built options too).
  void validate() const;

  /// What weights log pi.
  TORCH_ARG(Signal, signal) = Signal::kGroup;
  /// What is subtracted from the signal.
  TORCH_ARG(Baseline, baseline) = Baseline::kBatchMean;
  /// Divide the advantages by their standard deviation.
  TORCH_ARG(bool, normalize) = false;
  /// The rewards differentiated through the relaxed codes.
  TORCH_ARG(Pathwise, pathwise) = Pathwise::kGlobal;
  /// Weight of the pathwise term, >= 0.
  TORCH_ARG(double, pathwise_weight) = 1.0;
  /// Weight of the mean entropy bonus, >= 0.
  TORCH_ARG(double, entropy_coef) = 0.0;
  /// Hidden width of the critic's two-layer MLP (baseline = critic), 1 to 16384.
  TORCH_ARG(int64_t, critic_hidden) = 64;
  /// Weight of the critic's squared error in the loss, >= 0.
  TORCH_ARG(double, critic_coef) = 0.5;
};

class ReinforceLearner : public Learner {
 public:
  // `spec` sizes the critic (one episode's rows of features in, one value per step out) when
  // baseline = critic. Throws when the env does not pay a reward term the options read.
  ReinforceLearner(ReinforceOptions options, const EnvSpec& spec);
  LossTerms loss(const Trajectory& trajectory) override;
  torch::nn::Module* module() override { return critic_ ? critic_.get() : nullptr; }
  // The score function always; the pathwise gradient unless pathwise = none or its weight is 0.
  RewardUse reward_use() const override;

 private:
  ReinforceOptions options_;
  std::shared_ptr<torch::nn::SequentialImpl> critic_;
};

}  // namespace hashrl
