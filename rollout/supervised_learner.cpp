// `supervised`: minimise the negative global reward through the relaxed codes and nothing else:
// with the triplet reward this is the triplet ranking loss on the whole code, the paper's
// Baseline noseq. Its rewards must read probs (reward.codes = probs), or nothing is learnt.
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/rollout/learner.h"

namespace hashrl {
namespace {

class SupervisedLearner : public Learner {
 public:
  LossTerms loss(const Trajectory& tr) override {
    const auto global = tr.global_rewards.back();
    if (!global.requires_grad())
      fail("learner 'supervised' needs a reward with a gradient: set reward.codes = probs");
    const auto loss = -global.mean();
    return {loss, {{"pathwise", loss.detach()}, {"global_reward", global.detach().mean()}}};
  }
};

}  // namespace

void register_supervised_learner(LearnerRegistry& registry) {
  registry.add("supervised", [](const ConfigSection&, const EnvSpec& spec) -> std::shared_ptr<Learner> {
    require_reward_terms(spec, "supervised", {RewardTerm::kGlobal});
    return std::make_shared<SupervisedLearner>();
  }, "the triplet loss on relaxed codes (Baseline noseq)");
}

}  // namespace hashrl
