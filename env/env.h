#pragma once
// The environment interface that agents are written against, Gym-style:
//
//   auto [obs, info] = env.reset(seed);        // a new batch of episodes (HashEnv: triplets)
//   while (true) {
//     auto result = env.step(action);           // one action group of k bits per row
//     if (result.done()) break;
//     obs = result.observation;
//   }
//
// There is no autoreset: after the last step the caller must call reset(); a step after the end
// of an episode is an error. Every tensor lives on env.spec().device. What a learner may rely on
// is typed: the spec (shapes, the reward terms paid) and the fields of StepResult; HashEnv is one
// implementation (envs/hash_env.h), envs/target_code_env.h another.
#include <torch/serialize/archive.h>
#include <torch/types.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "hashrl/env/spaces.h"

namespace hashrl {

struct Observation {
  torch::Tensor features;  // float [rows, D]: the rows' features (carry autograd history when the
                           // encoder is trainable); HashEnv's rows are images
  torch::Tensor bits;      // float [rows, q]: the bits emitted so far, 0 in columns not yet emitted
  int64_t step = 0;        // index of the next action group; columns [0, step k) are emitted
};

struct Action {
  torch::Tensor bits;   // float [rows, k] in {0, 1}
  torch::Tensor probs;  // float [rows, k], P(bit = 1): the relaxed code that rewards may read
};

// Extras an env reports beside the typed fields (HashEnv: the triplets' item ids after reset).
// Learners and the rollout never read it.
using Info = std::map<std::string, torch::Tensor>;

struct StepResult {
  Observation observation;
  torch::Tensor reward;         // float [B], one per episode: group_reward + global_reward
  torch::Tensor group_reward;   // float [B]: this step's action group (RewardTerm::kGroup), 0 if
                                // the env does not pay it; may carry autograd history from probs
  torch::Tensor global_reward;  // float [B]: the whole code (RewardTerm::kGlobal), 0 before the
                                // last step and when the env does not pay it; likewise
  torch::Tensor terminated;     // bool [B], true on the last action group
  torch::Tensor truncated;      // bool [B], always false for HashEnv (episodes have a fixed length)
  Info info;
  bool done() const;            // terminated or truncated everywhere (reads one value to the host)
};

// Observation::bits after action group `step` emitted `group` [rows, k] into columns [step k, step k + k),
// as a new tensor (an observation handed out earlier keeps its own bits), without autograd history.
// How every env's step() and the greedy encoder (train/encode.h) advance the bits.
torch::Tensor with_group_bits(const torch::Tensor& bits, const torch::Tensor& group, int64_t step);

class Env {
 public:
  virtual ~Env() = default;
  virtual const EnvSpec& spec() const = 0;
  // Starts an episode on a new batch; `seed` reseeds the env's sampler first.
  virtual std::pair<Observation, Info> reset(std::optional<uint64_t> seed = std::nullopt) = 0;
  virtual StepResult step(const Action& action) = 0;
  // Parameters the env itself holds that a learner may train (a trainable encoder's).
  virtual std::vector<torch::Tensor> parameters() const { return {}; }

  // The image features the env would observe for these raw items (uint8 images or float
  // features, [N, ...], any device), without autograd and in eval mode: what retrieval codes of
  // queries and database items are computed from.
  virtual torch::Tensor observe_features(const torch::Tensor& items) = 0;

  // What the last reset() computed its features from, one row per observation row (HashEnv: the
  // images, as augmented), when the features come from parameters a learner trains (a trainable
  // encoder); undefined otherwise. A learner that steps several times on one rollout (ppo) passes
  // them to encode() again, so that the encoder trains on every step, not only the rollout's.
  virtual torch::Tensor encoder_inputs() const { return {}; }
  // The features of `inputs` (every row of some encoder_inputs(), so that batch statistics are the
  // rollout's; with K episodes a state, the rows of each state's first episode, whose copies hold
  // the same inputs) in the current mode, with autograd.
  virtual torch::Tensor encode(const torch::Tensor& inputs) {
    throw std::logic_error("this env has no encoder to run again: its encoder_inputs() are undefined");
  }

  // All that a checkpoint needs to continue the env exactly: trainable weights, sampler position.
  virtual void save(torch::serialize::OutputArchive& archive) const {}
  virtual void load(torch::serialize::InputArchive& archive) {}
};

}  // namespace hashrl
