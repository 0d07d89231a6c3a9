#pragma once
// What the actor-critic learners (ppo, a2c) share: a critic of each episode's state at each step,
// generalised advantage estimation over the q/k action groups, PPO's clipped losses, and their
// options. The formulas are the standard ones (Schulman et al. 2016 for GAE, 2017 for PPO); the
// tests check each against hand-computed values.
//
// An episode is one triplet (rows_per_episode rows); its state at step t is what the critic
// reads: the episode's features, the bits its rows emitted before t, and t itself. Rewards are
// per episode and step, [T, B] (StepResult::reward, detached).
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

#include <vector>

#include "hashrl/common/keys.h"
#include "hashrl/env/env.h"
#include "hashrl/learners/learner.h"

namespace hashrl {

/// The keys both actor-critic learners read (gamma, lambda, the critic, the loss weights).
struct ActorCriticOptions {
  static ActorCriticOptions from_config(const ConfigSection& section);
  /// Throws naming the option when a value is out of its range (code-built options too).
  void validate() const;

  /// Discount per action group, in [0, 1].
  TORCH_ARG(double, gamma) = 1.0;
  /// GAE's lambda, in [0, 1]: 1 is the Monte Carlo return less the critic, 0 one-step TD.
  TORCH_ARG(double, lambda) = 0.95;
  /// Hidden width of the critic's two-layer MLP, 1 to 16384.
  TORCH_ARG(int64_t, critic_hidden) = 256;
  /// Weight of the critic's squared error in the loss, >= 0.
  TORCH_ARG(double, value_coef) = 0.5;
  /// Weight of the entropy bonus, >= 0: the mean per row and step (learner.h's mean_entropy), as
  /// every learner's. (Before issue 40 these learners summed an episode's three rows: 0.01 then
  /// is 0.03 now.)
  TORCH_ARG(double, entropy_coef) = 0.03;
  /// Standardise the advantages (per minibatch) before they weight the log-probabilities.
  TORCH_ARG(bool, normalize_advantages) = true;
};

// The [learner] keys of ActorCriticOptions; ppo and a2c list them beside their own.
const KeyTable& actor_critic_keys();

// V(s_t) for every episode and step from the observations each step acted on: a two-layer MLP of
// [the episode's rows' features, their bits emitted before t, one-hot t], all detached (the critic
// trains itself, not the encoder).
class EpisodeCriticImpl : public torch::nn::Module {
 public:
  EpisodeCriticImpl(const EnvSpec& spec, int64_t hidden);
  // [T, b] values of the episodes `episodes` (int64 [b]; undefined: all B).
  torch::Tensor forward(const std::vector<Observation>& observations, const torch::Tensor& episodes = {});

 private:
  int64_t rows_per_episode_, batch_size_, num_steps_;
  torch::nn::Sequential mlp_;
};
TORCH_MODULE(EpisodeCritic);

// The rows of episodes `episodes` (int64 [b]) in a batch of B episodes of R rows each, in the
// layout rollouts use (row r * B + i belongs to episode i): [R * b], r-major.
torch::Tensor episode_rows(const torch::Tensor& episodes, int64_t batch_size, int64_t rows_per_episode);

// GAE: advantages [T, B] from per-step rewards and values [T, B] of episodes that end after the
// last step (its next value is 0):
//   delta_t = r_t + gamma V_{t+1} - V_t,   A_t = delta_t + gamma lambda A_{t+1}.
torch::Tensor generalized_advantages(const torch::Tensor& rewards, const torch::Tensor& values, double gamma,
                                     double lambda);

struct ClippedPolicyLoss {
  torch::Tensor loss;           // -mean(min(ratio A, clip(ratio, 1 - eps, 1 + eps) A))
  torch::Tensor clip_fraction;  // the share of ratios outside [1 - eps, 1 + eps], detached
  torch::Tensor approx_kl;      // mean((ratio - 1) - log ratio), detached: KL(old || new) estimate
};
// PPO's clipped surrogate from log-probabilities of the same actions under the new and the old
// parameters and their advantages (any shape, all alike).
ClippedPolicyLoss clipped_policy_loss(const torch::Tensor& new_log_prob, const torch::Tensor& old_log_prob,
                                      const torch::Tensor& advantages, double clip);

// 0.5 mean(max((V - R)^2, (V_old + clip(V - V_old, -c, c) - R)^2)); the plain squared error when
// `clip` is 0.
torch::Tensor clipped_value_loss(const torch::Tensor& values, const torch::Tensor& old_values,
                                 const torch::Tensor& returns, double clip);

// 1 - Var(returns - values) / Var(returns): 1 is a perfect critic, 0 one no better than a constant.
double explained_variance(const torch::Tensor& values, const torch::Tensor& returns);

}  // namespace hashrl
