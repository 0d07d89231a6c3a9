// A custom agent, written against hashrl's installed headers and registered by name when this
// file's library loads: linked into a program (main.cpp) or loaded as a plugin by the stock tool,
//   hashrl --plugin ./libper_group_linear.so train --config my.ini --set agent.kind=per-group-linear
// See docs/agents.md for the walk-through and docs/extending.md for plugins.
//
// The agent: one linear layer per action group from the image features to that group's k bit
// probabilities (no recurrent state), trained by the stock REINFORCE learner.
#include <torch/torch.h>

#include "hashrl/agents/bernoulli.h"
#include "hashrl/agents/agent.h"

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

// One registration makes the agent available to every config: [agent] kind = per-group-linear.
const bool kRegistered = [] {
  hashrl::agent_registry().add("per-group-linear", [](const hashrl::Config&, const hashrl::EnvSpec& spec) {
    return std::make_shared<PerGroupLinearAgent>(spec);
  }, "one linear layer per action group (examples/custom_agent)");
  return true;
}();

}  // namespace

