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

RewardRegistry& reward_registry() {
  // Registered here, not by static objects in each file: a static library drops object files
  // that nothing references, and their registrations with them.
  static RewardRegistry registry = [] {
    RewardRegistry r("reward");
    r.add("triplet", [](const ConfigSection& s) { return std::make_shared<TripletReward>(s); },
          "the paper's triplet ranking reward (eq. 3-4)");
    r.add("contrastive", make_contrastive_reward, "DSH-style pairwise contrastive reward");
    r.add("quantization", make_quantization_reward, "penalises relaxed codes far from 0 and 1");
    r.add("sum", make_sum_reward, "weighted sum of named rewards");
    return r;
  }();
  return registry;
}

std::shared_ptr<Reward> make_reward(const ConfigSection& section) {
  return reward_registry().create(section.get_string("kind", "triplet"), section);
}

}  // namespace hashrl
