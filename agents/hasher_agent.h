#pragma once
// The agent of a classic hasher (classic/hasher.h): its codes are fixed once it is fitted, so
// every action group is the slice of sign(project(features)) for that group, with probabilities
// of exactly 0 or 1: sampling and greedy acting agree, and the log-probability of its bits is 0.
#include "hashrl/agents/agent.h"
#include "hashrl/agents/classic/hasher.h"

namespace hashrl {

class HasherAgent : public Agent {
 public:
  HasherAgent(std::shared_ptr<Hasher> hasher, const EnvSpec& spec);

  RecurrentState initial_state(const Observation& obs) override { return {}; }
  std::pair<AgentStep, RecurrentState> act(const Observation& obs, const RecurrentState& state,
                                           ActMode mode) override;
  torch::nn::Module& module() override { return *hasher_; }
  bool fitted_in_closed_form() const override { return true; }
  void fit(const torch::Tensor& features, const torch::Tensor& labels) override;

  Hasher& hasher() { return *hasher_; }

 private:
  std::shared_ptr<Hasher> hasher_;
  int64_t group_size_;
};

}  // namespace hashrl
