#pragma once
// Learners turn rollouts into parameter updates. Every term is logged apart.
//   reinforce      the paper's learner: REINFORCE with action groups (eq. 8) + the pathwise
//                  gradient of the global reward (eq. 9); see reinforce_learner.h
//   supervised     the triplet loss on the relaxed codes alone (Baseline noseq)
//   drlih-authors  the DRLIH authors' public loss (see authors_learner.cpp)
//   a2c, ppo       actor-critic learners (ppo_learner.h)
//   group-relative RLOO / GRPO over K episodes from each state (group_relative_learner.h)
#include <torch/nn/module.h>
#include <torch/serialize/archive.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hashrl/common/config.h"
#include "hashrl/common/registry.h"
#include "hashrl/rollout/rollout.h"

namespace hashrl {

struct LossTerms {
  torch::Tensor loss;                    // scalar to minimise
  std::map<std::string, torch::Tensor> terms;  // detached scalars to log ("score", "pathwise", ...)
};

/// How a learner uses the reward, which decides the rewards it can learn from (EnvSpec::
/// reward_dependence). A learner that says nothing is not checked.
struct RewardUse {
  /// Weighs log pi(action) by the reward (REINFORCE, actor-critic, PPO): the reward must change
  /// with the sampled action, or the term is zero in expectation.
  bool score_function = false;
  /// Differentiates the reward through the relaxed codes: the reward must carry their gradient.
  bool pathwise = false;
};

// What one update did, for metrics.jsonl.
struct UpdateResult {
  double loss = 0;       // the loss of the last optimiser step
  double grad_norm = 0;  // the gradient norm of the last step, before clipping
  std::map<std::string, double> terms;  // anything else to log ("score", "clip_fraction", ...)
};

// What a learner's update works with; the trainer provides it.
class UpdateContext {
 public:
  virtual ~UpdateContext() = default;
  // The agent being trained.
  virtual Agent& agent() = 0;
  // One optimiser step on `terms.loss` over every trainable parameter (the agent's, the env's, the
  // learner's own): gradients cleared, backward, clipped to optim.clip_grad_norm. Throws, naming
  // the step and the last good checkpoint, when the loss, a term, the gradient or the updated
  // parameters are not finite. Returns the gradient norm before clipping. Call it as often as an
  // update needs (epochs x minibatches).
  virtual double optimizer_step(const LossTerms& terms) = 0;
  // The env's features of `inputs` (a trajectory's inputs), with autograd: a learner that steps
  // several times on one rollout recomputes them so that its steps train the encoder too.
  virtual torch::Tensor encode(const torch::Tensor& inputs) {
    throw std::logic_error("this update context cannot run the env's encoder");
  }
};

// Every learner's factory checks the spec for the reward terms (env/spaces.h) it reads, so that an
// env that does not pay them is refused before any episode, by name.
//
// A learner owns its update: the trainer collects episodes_per_update() rollouts (each a batch of
// B episodes) and hands them to update(), which may take as many optimiser steps as it likes.
// Learners of one gradient step per rollout define loss() and keep the default update().
class Learner {
 public:
  virtual ~Learner() = default;
  // Rollouts in the buffer of one update.
  virtual int64_t episodes_per_update() const { return 1; }
  // The default: one optimiser step on loss(buffer[0]).
  virtual UpdateResult update(const std::vector<Trajectory>& buffer, UpdateContext& context);
  // The loss of one rollout, for the default update(); a learner that overrides update() need not
  // define it.
  virtual LossTerms loss(const Trajectory& trajectory);
  // What the learner itself trains (a learned critic), beside the agent and the env; trained by
  // the same optimiser and saved in checkpoints. Null when it trains nothing.
  virtual torch::nn::Module* module() { return nullptr; }
  // How the learner uses the reward (above); `hashrl check` tests action dependence when it says
  // score_function.
  virtual RewardUse reward_use() const { return {}; }
  // The learner's state in a checkpoint: module() by default; a learner with more (running
  // statistics, a KL-adapted coefficient) saves and loads it here too.
  virtual void save(torch::serialize::OutputArchive& archive);
  virtual void load(torch::serialize::InputArchive& archive);
};

// Factories get the env's spec, so that a learner with parameters can size them up front.
using LearnerRegistry = Registry<std::shared_ptr<Learner>, const ConfigSection&, const EnvSpec&>;
LearnerRegistry& learner_registry();
// The [learner] keys every learner shares (kind); each kind's own are in the registry.
const KeyTable& learner_keys();

// The learner [learner] kind names, or `fallback` (the agent's default) when the key is not set;
// wrapped in a RewardNormalizer (reward_normalizer.h) when [learner] normalize_rewards is set.
std::shared_ptr<Learner> make_learner(const ConfigSection& section, const std::string& fallback,
                                      const EnvSpec& spec);

// Throws "learner 'L' needs the env's T reward, which env 'E' does not pay (it pays: ...)" unless the
// env declares every term in `needed`.
void require_reward_terms(const EnvSpec& spec, const std::string& learner, const std::vector<RewardTerm>& needed);

// Throws, naming the learner, the env and the setting to change, when the env's reward cannot
// serve `use`: "learner 'a2c' learns by the score function ... (reward.codes = probs) ...".
void require_reward_use(const EnvSpec& spec, const std::string& learner, RewardUse use);

// The log-probability of each episode's action group at each step: the sum over the episode's
// rows (HashEnv: a triplet's three images), [T, B].
torch::Tensor episode_log_probs(const Trajectory& trajectory);

// A per-row tensor [rows_per_episode * b] (rows r * b + i of episode i) summed over each
// episode's rows: [b].
torch::Tensor episode_sum(const torch::Tensor& per_row, int64_t rows_per_episode);
// The same layout [rows_per_episode * b, X] with each episode's rows side by side: [b, rows * X]
// (a critic's input: a triplet's three rows as one).
torch::Tensor episode_rows_side_by_side(const torch::Tensor& per_row, int64_t rows_per_episode);

// The policy's entropy as every learner logs it and as its `entropy_coef` weighs it: the entropy
// of one row's action group (its k Bernoulli bits, in nats), averaged over every row and every
// step. One definition for every learner, so that their logged figures compare and one
// coefficient means the same whichever learner reads it. `per_step` holds each step's [rows].
torch::Tensor mean_entropy(const std::vector<torch::Tensor>& per_step);
torch::Tensor mean_entropy(const Trajectory& trajectory);

}  // namespace hashrl
