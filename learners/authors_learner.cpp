// `drlih-authors`: the loss of the DRLIH authors' public code (PKU-ICST-MIPL/DRLIH_TMM2020),
//   loss = (1 - w) * J + w * J.detach() * (- mean log p(bits)),   w = 0.001,
// where J is the triplet loss on the whole relaxed code (the negative global reward) and the bits
// are the greedy ones the agent emitted (its training mode is greedy). Key: [learner] rl_weight.
// Nothing is sampled, so the second term is no score-function estimate: the learner learns
// through J's gradient, and its reward must carry it (reward_use: pathwise).
#include <torch/torch.h>

#include "hashrl/learners/learner.h"

namespace hashrl {
namespace {

class AuthorsLearner : public Learner {
 public:
  explicit AuthorsLearner(double weight) : weight_(weight) {}
  RewardUse reward_use() const override { return {false, true}; }

  LossTerms loss(const Trajectory& tr) override {
    const auto triplet = -tr.global_rewards.back().mean();
    std::vector<torch::Tensor> log_probs;
    for (const auto& step : tr.steps) log_probs.push_back(step.log_prob);
    const double bits = static_cast<double>(tr.bits.size(1));
    const auto mean_log_prob = torch::stack(log_probs).sum(0).mean() / bits;
    const auto rl = triplet.detach() * -mean_log_prob;
    return {(1.0 - weight_) * triplet + weight_ * rl,
            {{"pathwise", triplet.detach()}, {"score", rl.detach()}, {"global_reward", -triplet.detach()}}};
  }

 private:
  double weight_;
};

}  // namespace

namespace {
KeyTable keys;
const auto kRlWeight = keys.real("rl_weight", 0.001, 0, 1, "weight of their REINFORCE-like term");
}  // namespace

void register_authors_learner(LearnerRegistry& registry) {
  registry.add("drlih-authors", [](const ConfigSection& section, const EnvSpec& spec) -> std::shared_ptr<Learner> {
    require_reward_terms(spec, "drlih-authors", {RewardTerm::kGlobal});
    auto learner = std::make_shared<AuthorsLearner>(kRlWeight(section));
    require_reward_use(spec, "drlih-authors", learner->reward_use());
    return learner;
  }, "the DRLIH authors' public loss", &keys);
}

}  // namespace hashrl
