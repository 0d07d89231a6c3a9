#pragma once
// The agent of every policy that emits independent Bernoulli bits per group: DRLIH (with an
// rnn, gru or lstm cell), its baselines and the authors' variant differ only in their policy,
// how they act while training, and their learner.
#include "hashrl/agents/agent.h"

namespace hashrl {

struct PolicyAgentOptions {
  TORCH_ARG(std::string, learner) = "reinforce";
  TORCH_ARG(ActMode, training_mode) = ActMode::kSample;
};

class PolicyAgent : public Agent {
 public:
  PolicyAgent(std::shared_ptr<Policy> policy, PolicyAgentOptions options = {});

  RecurrentState initial_state(const Observation& obs) override;
  std::pair<AgentStep, RecurrentState> act(const Observation& obs, const RecurrentState& state,
                                           ActMode mode) override;
  torch::nn::Module& module() override { return *policy_; }
  std::string default_learner() const override { return options_.learner(); }
  ActMode training_mode() const override { return options_.training_mode(); }

  Policy& policy() { return *policy_; }

 private:
  std::shared_ptr<Policy> policy_;
  PolicyAgentOptions options_;
};

}  // namespace hashrl
