// A custom reward, written against hashrl's installed package and registered by name, then used
// by the stock DRLIH agent, REINFORCE learner and trainer. See docs/rewards.md.
//
// The reward: a cosine-similarity ranking margin on the relaxed codes mapped to [-1, 1],
//   r = min(margin, cos(a, p) - cos(a, n))
// rewarding triplets whose anchor points closer to its positive than to its negative, saturating
// at `margin` so that easy triplets stop pulling. Being one score of the codes, it serves as the
// group reward (on each action group's k bits) and as the global reward (on all q bits) alike.
#include <torch/torch.h>

#include <iostream>

#include "hashrl/hashrl.h"
#include "hashrl/testing/conformance.h"

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

}  // namespace

int main(int argc, char** argv) {
  // One line makes the reward available to every config: [reward] kind = cosine-margin.
  hashrl::reward_registry().add("cosine-margin", [](const hashrl::ConfigSection& section) {
    return std::make_shared<CosineMarginReward>(section);
  }, "cosine ranking margin on the relaxed codes", &keys);

  auto config = hashrl::Config::from_string(
      "[data]\nkind = synthetic\nqueries_per_label = 10\ntrain_per_label = 50\n"
      "[encoder]\nkind = identity\n[env]\ndevice = cpu\ncode_length = 16\ngroup_size = 4\n"
      "[reward]\nkind = cosine-margin\nmargin = 0.5\n"
      "[policy]\nhidden = 32\n[optim]\nkind = adam\nlr = 0.003\n[train]\nsteps = 200\n");
  for (int i = 1; i < argc; ++i) config.apply_override(argv[i]);  // e.g. train.steps=10

  // The conformance checks every reward must pass (hashrl::testing), on this one, before training.
  const auto checks = hashrl::check_reward(*hashrl::make_reward(hashrl::ConfigSection(config, "reward")));
  std::cout << checks.summary();
  if (!checks.ok()) return 1;

  hashrl::Trainer trainer(config, "custom_reward_run");
  trainer.train();
  const auto report = trainer.evaluate();
  std::cout << "cosine-margin reward: MAP " << report["metrics"]["map"].get<double>() << "\n";
}
