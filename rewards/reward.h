#pragma once
// Rewards score the codes that an agent emits for a batch of triplets. They are tensors: computed
// from relaxed codes (probs) that carry autograd history, they keep it, so a learner can take the
// pathwise gradient of the paper's eq. 9; the score-function term uses their detached value.
//
// What a reward reads decides which learners it can teach (Reward::reads): a reward of the
// emitted bits changes with the sampled action, so the score function (E[R grad log pi]) can learn
// from it; a reward of the relaxed codes is the same whatever bits were drawn, so only its
// gradient (the pathwise term) teaches. docs/rewards.md has the table.
//
// Batch layout, shared by the env, the rewards and the learners: a batch of B triplets is 3B
// images in three row blocks, [anchors (B); positives (B); negatives (B)].
#include <torch/types.h>

#include <memory>
#include <string>

#include "hashrl/common/config.h"
#include "hashrl/common/registry.h"

namespace hashrl {

// Relaxed and binary codes of the 3B images, [3B, m] each, float.
struct Codes {
  torch::Tensor probs;  // P(bit = 1), the relaxed code
  torch::Tensor bits;   // the emitted bits in {0, 1}
};

struct RewardInput {
  Codes group;        // this step's action group, m = k
  Codes emitted;      // every bit emitted so far, this group included, m = (step + 1) k
  int64_t step = 0;   // 0-based index of the action group
  int64_t num_steps = 1;
  torch::Tensor labels;  // multi-hot uint8 [3B, L] of the images, for rewards that mine within the batch
};

/// What a reward's value and gradient come from (Reward::reads).
struct RewardReads {
  /// The value changes with the emitted bits: score-function learners can learn from it.
  bool bits = true;
  /// The value carries the relaxed codes' autograd history: pathwise learners can differentiate it.
  bool probs = true;
  /// The setting that decides both, for errors: "reward.codes = probs". Empty when none does.
  std::string setting;
};

class Reward {
 public:
  virtual ~Reward() = default;
  // The reward of one action group, [B] (eq. 4, Rg).
  virtual torch::Tensor group_reward(const RewardInput& input) const = 0;
  // The reward of the whole code, [B], asked for once at the end of an episode (eq. 4, RG).
  virtual torch::Tensor global_reward(const RewardInput& input) const = 0;
  // Whether the reward scores relations between a triplet's codes (the paper's, contrastive)
  // rather than each image on its own against its labels (center): check_reward asks a relational
  // reward to prefer a triplet whose positive is its anchor, which a per-image one cannot promise.
  virtual bool relational() const { return true; }
  // What the reward reads. A reward that does not say is taken to read both; `hashrl check` then
  // tests the first claim for a config whose learner needs it (check_action_dependence).
  virtual RewardReads reads() const { return {}; }
};

// The three blocks of a [3B, m] batch.
struct TripletBlocks {
  torch::Tensor anchor, positive, negative;  // [B, m] each
};
TripletBlocks split_triplets(const torch::Tensor& codes);

using RewardRegistry = Registry<std::shared_ptr<Reward>, const ConfigSection&>;
// Holds the built-in rewards (`hashrl list` names them, rewards/reward.cpp registers them)
// and any a user adds.
RewardRegistry& reward_registry();

// The [reward] keys every reward shares (kind); each kind's own are in the registry.
const KeyTable& reward_keys();

// Builds the reward that `section.kind` names (default "triplet") from the section's keys.
std::shared_ptr<Reward> make_reward(const ConfigSection& section);

}  // namespace hashrl
