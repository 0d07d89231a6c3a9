#pragma once
// Learners turn a trajectory into a loss to minimise. Every term is logged apart.
//   reinforce      the paper's learner: REINFORCE with action groups (eq. 8) + the pathwise
//                  gradient of the global reward (eq. 9); see reinforce_learner.h
//   supervised     the triplet loss on the relaxed codes alone (Baseline noseq)
//   drlih-authors  the DRLIH authors' public loss (see authors_learner.cpp)
#include <torch/nn/module.h>

#include <map>
#include <memory>
#include <string>

#include "hashrl/common/config.h"
#include "hashrl/common/registry.h"
#include "hashrl/rollout/rollout.h"

namespace hashrl {

struct LossTerms {
  torch::Tensor loss;                    // scalar to minimise
  std::map<std::string, torch::Tensor> terms;  // detached scalars to log ("score", "pathwise", ...)
};

// Every learner's factory checks the spec for the reward terms (env/spaces.h) it reads, so that an
// env that does not pay them is refused before any episode, by name.
class Learner {
 public:
  virtual ~Learner() = default;
  virtual LossTerms loss(const Trajectory& trajectory) = 0;
  // What the learner itself trains (a learned critic), beside the agent and the env; trained by
  // the same optimiser and saved in checkpoints. Null when it trains nothing.
  virtual torch::nn::Module* module() { return nullptr; }
};

// Factories get the env's spec, so that a learner with parameters can size them up front.
using LearnerRegistry = Registry<std::shared_ptr<Learner>, const ConfigSection&, const EnvSpec&>;
LearnerRegistry& learner_registry();
// The [learner] keys every learner shares (kind); each kind's own are in the registry.
const KeyTable& learner_keys();

// The learner [learner] kind names, or `fallback` (the agent's default) when the key is not set.
std::shared_ptr<Learner> make_learner(const ConfigSection& section, const std::string& fallback,
                                      const EnvSpec& spec);

// Throws "learner 'L' needs the env's T reward, which env 'E' does not pay (it pays: ...)" unless the
// env declares every term in `needed`.
void require_reward_terms(const EnvSpec& spec, const std::string& learner, const std::vector<RewardTerm>& needed);

// The log-probability of each episode's action group at each step: the sum over the episode's
// rows (HashEnv: a triplet's three images), [T, B].
torch::Tensor episode_log_probs(const Trajectory& trajectory);

}  // namespace hashrl
