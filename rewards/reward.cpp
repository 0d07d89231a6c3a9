#include "hashrl/rewards/reward.h"

#include "hashrl/common/error.h"
#include "hashrl/rewards/reward_factories.h"
#include "hashrl/rewards/triplet_reward.h"

namespace hashrl {

TripletBlocks split_triplets(const torch::Tensor& codes) {
  if (codes.dim() != 2 || codes.size(0) % 3 != 0)
    fail("triplet codes must be [3B, m] (anchors, positives, negatives), got {}", codes.sizes());
  const auto blocks = codes.chunk(3, 0);
  return {blocks[0], blocks[1], blocks[2]};
}

namespace {

KeyTable shared_keys;
const auto kKind = shared_keys.name_of("kind", "triplet", "a reward (below)", "what the env pays (docs/rewards.md)");

// A code reward's own keys, then those every code reward shares.
KeyTable with_code_keys(const KeyTable& own) {
  KeyTable t = own;
  t.append(code_reward_keys());
  return t;
}

}  // namespace

const KeyTable& reward_keys() { return shared_keys; }

RewardRegistry& reward_registry() {
  // Registered here, not by static objects in each file: a static library drops object files
  // that nothing references, and their registrations with them. Tables composed at first use,
  // when every file's statics are initialised.
  static const KeyTable triplet = with_code_keys(triplet_reward_keys());
  static const KeyTable contrastive = with_code_keys(contrastive_reward_keys());
  static const KeyTable quantization = with_code_keys(KeyTable());
  static RewardRegistry registry = [] {
    RewardRegistry r("reward");
    r.add("triplet", [](const ConfigSection& s) { return std::make_shared<TripletReward>(s); },
          "the paper's triplet ranking reward (eq. 3-4)", &triplet);
    r.add("contrastive", make_contrastive_reward, "DSH-style pairwise contrastive reward", &contrastive);
    r.add("quantization", make_quantization_reward, "penalises relaxed codes far from 0 and 1", &quantization);
    r.add("sum", make_sum_reward, "weighted sum of named rewards", &sum_reward_keys());
    return r;
  }();
  return registry;
}

std::shared_ptr<Reward> make_reward(const ConfigSection& section) {
  return reward_registry().create(kKind, section, section);
}

}  // namespace hashrl
