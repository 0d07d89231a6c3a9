// `supervised`: minimise the negative global reward through the relaxed codes and nothing else:
// with the triplet reward this is the triplet ranking loss on the whole code, the paper's
// Baseline noseq. Its reward must carry the relaxed codes' gradient (reward.codes = probs or both).
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/learners/learner.h"

namespace hashrl {
namespace {

class SupervisedLearner : public Learner {
 public:
  RewardUse reward_use() const override { return {false, true}; }
  LossTerms loss(const Trajectory& tr) override {
    const auto global = tr.global_rewards.back();
    if (!global.requires_grad())
      fail("learner 'supervised' needs a reward with a gradient: set reward.codes = probs or both");
    const auto loss = -global.mean();
    return {loss, {{"pathwise", loss.detach()}, {"global_reward", global.detach().mean()}}};
  }
};

}  // namespace

void register_supervised_learner(LearnerRegistry& registry) {
  registry.add("supervised", [](const ConfigSection&, const EnvSpec& spec) -> std::shared_ptr<Learner> {
    require_reward_terms(spec, "supervised", {RewardTerm::kGlobal});
    auto learner = std::make_shared<SupervisedLearner>();
    require_reward_use(spec, "supervised", learner->reward_use());
    return learner;
  }, "the triplet loss on relaxed codes (Baseline noseq)");
}

}  // namespace hashrl
