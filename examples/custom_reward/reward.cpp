// A custom reward, written against hashrl's installed headers and registered by name when this
// file's library loads: linked into a program (main.cpp) or loaded as a plugin by the stock tool,
//   hashrl --plugin ./libcosine_margin.so train --config my.ini --set reward.kind=cosine-margin
// It is used by the stock DRLIH agent, REINFORCE learner and trainer. See docs/rewards.md.
//
// The reward: a cosine-similarity ranking margin on the relaxed codes mapped to [-1, 1],
//   r = min(margin, cos(a, p) - cos(a, n))
// rewarding triplets whose anchor points closer to its positive than to its negative, saturating
// at `margin` so that easy triplets stop pulling. Being one score of the codes, it serves as the
// group reward (on each action group's k bits) and as the global reward (on all q bits) alike.
#include <torch/torch.h>

#include "hashrl/rewards/code_reward.h"

namespace {

// Its own key, declared once: read with this default and range, and listed by --help-config
// beside the keys every code reward shares.
hashrl::KeyTable keys;
const auto kMargin = keys.real("margin", 0.5, 0.0, 1e308, "the cosine gap at which a triplet stops pulling");

class CosineMarginReward : public hashrl::CodeReward {
 public:
  explicit CosineMarginReward(const hashrl::ConfigSection& section) : CodeReward(section), margin_(kMargin(section)) {}

  torch::Tensor score(const torch::Tensor& codes) const override {
    const auto [anchor, positive, negative] = hashrl::split_triplets(2 * codes - 1);
    namespace F = torch::nn::functional;
    const auto options = F::CosineSimilarityFuncOptions().dim(1).eps(1e-6);
    const auto gap = F::cosine_similarity(anchor, positive, options) - F::cosine_similarity(anchor, negative, options);
    return gap.clamp_max(margin_);
  }

 private:
  double margin_;
};

// One registration makes the reward available to every config: [reward] kind = cosine-margin.
const bool kRegistered = [] {
  hashrl::reward_registry().add("cosine-margin", [](const hashrl::ConfigSection& section) {
    return std::make_shared<CosineMarginReward>(section);
  }, "cosine ranking margin on the relaxed codes (examples/custom_reward)", &keys);
  return true;
}();

}  // namespace

