#include "hashrl/rewards/reward.h"

#include "hashrl/common/error.h"

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

}  // namespace

const KeyTable& reward_keys() { return shared_keys; }

// The built-ins, each registered by a function in its own file (docs/extending.md: why by name).
void register_triplet_reward(RewardRegistry& registry);
void register_contrastive_reward(RewardRegistry& registry);
void register_quantization_reward(RewardRegistry& registry);
void register_sum_reward(RewardRegistry& registry);
void register_center_reward(RewardRegistry& registry);

RewardRegistry& reward_registry() {
  static RewardRegistry registry = [] {
    RewardRegistry r("reward");
    register_triplet_reward(r);
    register_contrastive_reward(r);
    register_quantization_reward(r);
    register_sum_reward(r);
    register_center_reward(r);
    return r;
  }();
  return registry;
}

std::shared_ptr<Reward> make_reward(const ConfigSection& section) {
  return reward_registry().create(kKind, section, section);
}

}  // namespace hashrl
