#pragma once
// PPO (Schulman et al. 2017) on HashEnv's action groups, and A2C, its one-step sibling.
//
//   ppo   collects `rollouts` rollouts per update, computes GAE advantages from its critic, then
//         runs `epochs` passes over their episodes (triplets) in `minibatches` shuffled
//         minibatches: clipped surrogate on the ratio of Agent::evaluate's log-probabilities to
//         the rollout's, clipped value loss, entropy bonus; one optimiser step per minibatch.
//         Stops an update's epochs early when the KL estimate passes 1.5 x target_kl (0: never).
//         With a trainable encoder (Env::encoder_inputs), each minibatch runs it again on its
//         rollout's inputs, with autograd, so every step trains it too (as CNN PPO on Atari
//         frames does); a frozen encoder's features are used as stored. With K episodes a
//         state (env.samples_per_state) the encoder runs on each state's inputs once, not K times.
//         `advantage` chooses the critic's GAE or, when the env runs K >= 2 episodes a state, each
//         episode's signal against its K - 1 siblings' as group-relative computes it (RLOO, or
//         GRPO's standardised one: PPO's clipped surrogate on group advantages, as GRPO proper);
//         the critic then is not trained.
//   a2c   one rollout, one step: -log pi x GAE advantage + value loss - entropy bonus, through the
//         rollout's own log-probabilities, so a trainable encoder is trained as REINFORCE trains it.
//
// Logged: policy, value, entropy, approx_kl, clip_fraction (ppo), explained_variance.
// Their [learner] keys are ppo_keys() / a2c_keys() (docs/config.md).
#include "hashrl/learners/actor_critic.h"
#include "hashrl/learners/group_relative_learner.h"

namespace hashrl {

/// The [learner] keys of kind = ppo, beside actor_critic_keys().
const KeyTable& ppo_keys();

/// Where ppo's advantages come from.
enum class PpoAdvantage {
  kGae,          ///< the critic's generalised advantage estimate
  kLeaveOneOut,  ///< the signal (Rg_t + R_G) less the mean of the state's other K - 1 episodes' (RLOO)
  kNormalized,   ///< the signal standardised within the state's K episodes (GRPO)
};
inline const Choices<PpoAdvantage> kPpoAdvantages = {{"gae", PpoAdvantage::kGae},
                                                     {"leave-one-out", PpoAdvantage::kLeaveOneOut},
                                                     {"normalized", PpoAdvantage::kNormalized}};

struct PpoOptions {
  static PpoOptions from_config(const ConfigSection& section);
  /// Throws naming the option when a value is out of its range (code-built options too).
  void validate() const;

  /// gamma, lambda, the critic and the loss weights.
  TORCH_ARG(ActorCriticOptions, actor_critic) = {};
  /// Rollouts (each B episodes) per update, 1 to 1024.
  TORCH_ARG(int64_t, rollouts) = 4;
  /// Passes over the rollouts per update, 1 to 1024.
  TORCH_ARG(int64_t, epochs) = 4;
  /// Minibatches per rollout and epoch, 1 to B.
  TORCH_ARG(int64_t, minibatches) = 4;
  /// The ratio's clip range epsilon, > 0.
  TORCH_ARG(double, clip) = 0.2;
  /// The value's clip range around its old value (0: no clipping), >= 0.
  TORCH_ARG(double, value_clip) = 0.2;
  /// Stop the update's epochs when approx_kl > 1.5 x this (0: never), >= 0.
  TORCH_ARG(double, target_kl) = 0.0;
  /// The critic's GAE, or the state's siblings as the baseline (needs K >= 2 episodes a state).
  TORCH_ARG(PpoAdvantage, advantage) = PpoAdvantage::kGae;
};

class PpoLearner : public Learner {
 public:
  PpoLearner(PpoOptions options, const EnvSpec& spec);
  int64_t episodes_per_update() const override { return options_.rollouts(); }
  UpdateResult update(const std::vector<Trajectory>& buffer, UpdateContext& context) override;
  torch::nn::Module* module() override { return critic_.get(); }
  RewardUse reward_use() const override { return {true, false}; }

 private:
  PpoOptions options_;
  EnvSpec spec_;
  EpisodeCritic critic_;
};

/// The [learner] keys of kind = a2c: actor_critic_keys().
const KeyTable& a2c_keys();

class A2cLearner : public Learner {
 public:
  A2cLearner(ActorCriticOptions options, const EnvSpec& spec);
  LossTerms loss(const Trajectory& trajectory) override;
  torch::nn::Module* module() override { return critic_.get(); }
  RewardUse reward_use() const override { return {true, false}; }

 private:
  ActorCriticOptions options_;
  EpisodeCritic critic_;
};

}  // namespace hashrl
