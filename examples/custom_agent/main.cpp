// A custom agent, written against hashrl's installed package and registered by name, then
// trained and evaluated by the stock trainer. See docs/agents.md for the walk-through.
//
// The agent: one linear layer per action group from the image features to that group's k bit
// probabilities (no recurrent state), trained by the stock REINFORCE learner.
#include <torch/torch.h>

#include <iostream>

#include "hashrl/agents/bernoulli.h"
#include "hashrl/hashrl.h"
#include "hashrl/testing/conformance.h"

namespace {

class PerGroupLinear : public torch::nn::Module {
 public:
  PerGroupLinear(int64_t features, int64_t code_length)
      : layer_(register_module("layer", torch::nn::Linear(features, code_length))) {}
  torch::nn::Linear layer_;
};

class PerGroupLinearAgent : public hashrl::Agent {
 public:
  explicit PerGroupLinearAgent(const hashrl::EnvSpec& spec)
      : spec_(spec), net_(std::make_shared<PerGroupLinear>(spec.feature_dim, spec.code_length)) {
    net_->to(spec.device);
  }

  hashrl::RecurrentState initial_state(const hashrl::Observation&) override { return {}; }

  std::pair<hashrl::AgentStep, hashrl::RecurrentState> act(const hashrl::Observation& obs,
                                                           const hashrl::RecurrentState& state,
                                                           hashrl::ActMode mode) override {
    const int64_t k = spec_.group_size;
    const auto probs = torch::sigmoid(net_->layer_->forward(obs.features)).narrow(1, obs.step * k, k);
    const auto bits = hashrl::draw_bits(probs, mode == hashrl::ActMode::kGreedy);
    return {{{bits, probs}, hashrl::bernoulli_log_prob(probs, bits), hashrl::bernoulli_entropy(probs)}, {}};
  }

  torch::nn::Module& module() override { return *net_; }

 private:
  hashrl::EnvSpec spec_;
  std::shared_ptr<PerGroupLinear> net_;
};

}  // namespace

int main(int argc, char** argv) {
  // One line makes the agent available to every config: [agent] kind = per-group-linear.
  hashrl::agent_registry().add("per-group-linear", [](const hashrl::Config&, const hashrl::EnvSpec& spec) {
    return std::make_shared<PerGroupLinearAgent>(spec);
  });

  auto config = hashrl::Config::from_string(
      "[data]\nkind = synthetic\nqueries_per_label = 10\ntrain_per_label = 50\n"
      "[encoder]\nkind = identity\n[env]\ndevice = cpu\ncode_length = 16\ngroup_size = 4\n"
      "[agent]\nkind = per-group-linear\n[optim]\nkind = adam\nlr = 0.01\n[train]\nsteps = 100\n");
  for (int i = 1; i < argc; ++i) config.apply_override(argv[i]);  // e.g. train.steps=10

  // The conformance checks every agent must pass (hashrl::testing), on this one, before training.
  auto env = hashrl::make_env("HashEnv-v0", config);
  auto agent = hashrl::make_agent(config, env->spec());
  const auto checks = hashrl::check_agent(*agent, *env);
  std::cout << checks.summary();
  if (!checks.ok()) return 1;

  hashrl::Trainer trainer(config, "custom_agent_run");
  trainer.train();
  const auto report = trainer.evaluate();
  std::cout << "per-group-linear agent: MAP " << report["metrics"]["map"].get<double>() << "\n";
}
