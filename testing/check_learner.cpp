#include <fmt/format.h>
#include <torch/torch.h>

#include "checker.h"
#include "hashrl/rollout/rollout.h"
#include "hashrl/testing/conformance.h"

namespace hashrl {

CheckReport check_learner(Learner& learner, Agent& agent, Env& env, uint64_t seed) {
  CheckReport report;
  report.name = "check_learner";
  testing_detail::Checker check(report, "");
  if (agent.fitted_in_closed_form()) {
    check.expect(true, "skipped: a closed-form agent is fitted, not trained by a learner");
    return report;
  }
  check.guarded("the learner's loss on one rollout", [&] {
    torch::manual_seed(seed);
    std::vector<torch::Tensor> parameters = agent.module().parameters();
    if (auto* own = learner.module())
      for (const auto& p : own->parameters()) parameters.push_back(p);
    for (auto& p : parameters) p.mutable_grad() = torch::Tensor();
    const auto trajectory = rollout(env, agent, agent.training_mode(), seed);
    const auto terms = learner.loss(trajectory);
    check.expect(terms.loss.defined() && terms.loss.numel() == 1, "the loss is a scalar");
    check.expect(torch::isfinite(terms.loss).all().item<bool>(), "the loss is finite",
                 fmt::format("{}", terms.loss.item<double>()));
    for (const auto& [name, value] : terms.terms)
      check.expect(value.numel() == 1 && !value.requires_grad(), "term '" + name + "' is a detached scalar");
    if (!terms.loss.requires_grad()) {
      check.expect(false, "the loss reaches the agent's parameters", "it carries no autograd history");
      return;
    }
    terms.loss.backward();
    bool finite = true, some_nonzero = false;
    for (const auto& p : parameters) {
      if (!p.grad().defined()) continue;
      finite = finite && torch::isfinite(p.grad()).all().item<bool>();
      some_nonzero = some_nonzero || p.grad().ne(0).any().item<bool>();
    }
    check.expect(finite, "every gradient is finite");
    check.expect(some_nonzero, "the loss reaches the agent's parameters", "every gradient is zero or missing");
    for (auto& p : parameters) p.mutable_grad() = torch::Tensor();
  });
  return report;
}

}  // namespace hashrl
