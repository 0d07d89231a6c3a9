// A pairwise contrastive reward as in DSH (Liu et al., CVPR 2016): the anchor-positive pair is
// pulled together and the anchor-negative pair pushed apart past a margin,
//   R = -(|a - p|^2 + max(0, margin - |a - n|^2)) / 2,
// with margin = margin_per_bit x (bits scored), so one setting suits groups and whole codes.
#include <torch/torch.h>

#include "hashrl/rewards/code_distance.h"
#include "hashrl/rewards/code_reward.h"

namespace hashrl {
namespace {

KeyTable keys;
const auto kMarginPerBit = keys.real("margin_per_bit", 0.5, 0, 1e308, "the margin is this times the bits scored");

class ContrastiveReward : public CodeReward {
 public:
  explicit ContrastiveReward(const ConfigSection& section)
      : CodeReward(section), margin_per_bit_(kMarginPerBit(section)) {}

  torch::Tensor score(const torch::Tensor& codes) const override {
    const auto t = split_triplets(codes);
    const double margin = margin_per_bit_ * static_cast<double>(codes.size(1));
    const auto similar = squared_distance(t.anchor, t.positive);
    const auto dissimilar = torch::relu(margin - squared_distance(t.anchor, t.negative));
    return -0.5 * (similar + dissimilar);
  }

 private:
  double margin_per_bit_;
};

}  // namespace

void register_contrastive_reward(RewardRegistry& registry) {
  static const KeyTable table = with_code_reward_keys(keys);
  registry.add("contrastive", [](const ConfigSection& s) { return std::make_shared<ContrastiveReward>(s); },
               "DSH-style pairwise contrastive reward", &table);
}

}  // namespace hashrl
