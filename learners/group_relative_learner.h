#pragma once
// A group-relative score-function learner (RLOO, Kool et al. 2019; GRPO, Shao et al. 2024) for
// envs that run K episodes from each state (EnvSpec::samples_per_state: HashEnv's
// env.samples_per_state). Hashing makes the K samples nearly free: the images are encoded once,
// and only the policy and the reward run K times, in one batch. Each episode's signal is compared
// with its K - 1 siblings' at each action group, so the baseline is the value of that very state,
// without a critic:
//
//   loss = - mean_episodes sum_t log pi(A_t | s_t) * A_t  -  entropy_coef * mean entropy
//   leave-one-out:  A_t = s_t - mean of the other K - 1 episodes' s_t      (unbiased)
//   normalized:     A_t = (s_t - mean_K s_t) / (std_K s_t + 1e-6)            (GRPO)
//
// No pathwise term: it learns from the reward's value alone, which must change with the sampled
// bits (reward_use: score function). Its [learner] keys are in docs/config.md.
#include <torch/arg.h>

#include "hashrl/common/choices.h"
#include "hashrl/learners/learner.h"
#include "hashrl/learners/reward_signal.h"

namespace hashrl {

/// How an episode's signal is compared with its group's.
enum class GroupAdvantage {
  kLeaveOneOut,  ///< minus the mean of the other K - 1 (RLOO)
  kNormalized,   ///< minus the group's mean, over the group's standard deviation (GRPO)
};
inline const Choices<GroupAdvantage> kGroupAdvantages = {{"leave-one-out", GroupAdvantage::kLeaveOneOut},
                                                         {"normalized", GroupAdvantage::kNormalized}};

struct GroupRelativeOptions {
  static GroupRelativeOptions from_config(const ConfigSection& section);
  /// Throws naming the option when a value is not allowed (code-built options too).
  void validate() const;

  /// What weights log pi at each step.
  TORCH_ARG(Signal, signal) = Signal::kGroupGlobal;
  /// How each episode's signal is compared with its siblings'.
  TORCH_ARG(GroupAdvantage, advantage) = GroupAdvantage::kLeaveOneOut;
  /// Weight of the mean entropy bonus, >= 0.
  TORCH_ARG(double, entropy_coef) = 0.0;
};

// Advantages [T, B] of signals [T, B] whose episodes come in groups of k consecutive ones.
torch::Tensor group_relative_advantages(const torch::Tensor& signal, int64_t k, GroupAdvantage kind);

class GroupRelativeLearner : public Learner {
 public:
  // Throws, naming env.samples_per_state, when the env runs fewer than 2 episodes a state.
  GroupRelativeLearner(GroupRelativeOptions options, const EnvSpec& spec);
  LossTerms loss(const Trajectory& trajectory) override;
  RewardUse reward_use() const override { return {true, false}; }

 private:
  GroupRelativeOptions options_;
  int64_t samples_per_state_;
};

}  // namespace hashrl
