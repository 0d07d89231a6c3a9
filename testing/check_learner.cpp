#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <cmath>

#include "hashrl/rollout/rollout.h"
#include "hashrl/testing/conformance.h"

namespace hashrl {

namespace {

// Stands in for the trainer: each optimiser step the learner asks for is checked, its gradients
// computed and then cleared, and no parameter moves.
class CheckingContext : public UpdateContext {
 public:
  CheckingContext(Agent& agent, Env& env, std::vector<torch::Tensor> parameters)
      : agent_(agent), env_(env), parameters_(std::move(parameters)) {}
  Agent& agent() override { return agent_; }
  torch::Tensor encode(const torch::Tensor& inputs) override { return env_.encode(inputs); }

  double optimizer_step(const LossTerms& terms) override {
    ++steps;
    scalar = scalar && terms.loss.defined() && terms.loss.numel() == 1;
    if (!scalar) return 0;
    finite_loss = finite_loss && std::isfinite(terms.loss.item<double>());
    for (const auto& [name, value] : terms.terms)
      if (value.numel() != 1 || value.requires_grad()) bad_terms.push_back(name);
    if (!terms.loss.requires_grad()) {
      has_history = false;
      return 0;
    }
    terms.loss.backward();
    double norm = 0;
    for (auto& p : parameters_) {
      if (!p.grad().defined()) continue;
      finite_grads = finite_grads && torch::isfinite(p.grad()).all().item<bool>();
      some_nonzero = some_nonzero || p.grad().ne(0).any().item<bool>();
      norm += p.grad().pow(2).sum().item<double>();
      p.mutable_grad() = torch::Tensor();
    }
    return std::sqrt(norm);
  }

  int64_t steps = 0;
  bool scalar = true, finite_loss = true, has_history = true, finite_grads = true, some_nonzero = false;
  std::vector<std::string> bad_terms;

 private:
  Agent& agent_;
  Env& env_;
  std::vector<torch::Tensor> parameters_;
};

}  // namespace

CheckReport check_learner(Learner& learner, Agent& agent, Env& env, uint64_t seed) {
  CheckReport report;
  report.name = "check_learner";
  Checker check(report);
  if (agent.fitted_in_closed_form()) {
    check.expect(true, "skipped: a closed-form agent is fitted, not trained by a learner");
    return report;
  }
  check.guarded("the learner's update on a buffer of rollouts", [&] {
    torch::manual_seed(seed);
    std::vector<torch::Tensor> parameters = agent.module().parameters();
    if (auto* own = learner.module())
      for (const auto& p : own->parameters()) parameters.push_back(p);
    for (auto& p : parameters) p.mutable_grad() = torch::Tensor();
    const int64_t rollouts = learner.episodes_per_update();
    check.expect(rollouts >= 1, "it asks for at least one rollout per update", fmt::format("{}", rollouts));
    std::vector<Trajectory> buffer;
    for (int64_t i = 0; i < rollouts; ++i) buffer.push_back(rollout(env, agent, agent.training_mode(), seed + i));
    CheckingContext context(agent, env, parameters);
    const auto result = learner.update(buffer, context);
    check.expect(context.steps >= 1, "the update takes at least one optimiser step");
    check.expect(context.scalar, "the loss is a scalar");
    check.expect(context.finite_loss && std::isfinite(result.loss), "the loss is finite",
                 fmt::format("{}", result.loss));
    check.expect(context.bad_terms.empty(), "every logged term is a detached scalar",
                 fmt::format("not: {}", fmt::join(context.bad_terms, ", ")));
    for (const auto& [name, value] : result.terms)
      check.expect(std::isfinite(value), "term '" + name + "' is finite", fmt::format("{}", value));
    check.expect(context.has_history, "the loss reaches the agent's parameters", "it carries no autograd history");
    check.expect(context.finite_grads, "every gradient is finite");
    check.expect(context.some_nonzero, "the loss reaches the agent's parameters", "every gradient is zero or missing");
  });
  return report;
}

}  // namespace hashrl
