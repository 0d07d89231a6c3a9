#include "hashrl/rollout/learner.h"

#include <torch/torch.h>

#include "hashrl/rollout/learner_factories.h"
#include "hashrl/rollout/reinforce_learner.h"

namespace hashrl {

torch::Tensor triplet_log_probs(const Trajectory& tr) {
  std::vector<torch::Tensor> per_step;
  for (const auto& step : tr.steps) per_step.push_back(step.log_prob.view({3, tr.batch_size}).sum(0));
  return torch::stack(per_step);
}

LearnerRegistry& learner_registry() {
  static LearnerRegistry registry = [] {
    LearnerRegistry r("learner");
    r.add("reinforce", [](const ConfigSection& s, const EnvSpec& spec) -> std::shared_ptr<Learner> {
      return std::make_shared<ReinforceLearner>(ReinforceOptions::from_config(s), spec);
    }, "REINFORCE with action groups + pathwise global reward (eq. 8-9)");
    r.add("supervised", make_supervised_learner, "the triplet loss on relaxed codes (Baseline noseq)");
    r.add("drlih-authors", make_authors_learner, "the DRLIH authors' public loss");
    return r;
  }();
  return registry;
}

std::shared_ptr<Learner> make_learner(const ConfigSection& section, const std::string& fallback,
                                      const EnvSpec& spec) {
  return learner_registry().create(section.get_string("kind", fallback), section, spec);
}

}  // namespace hashrl
