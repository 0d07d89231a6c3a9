// A reward, an agent and a learner, each added the way docs/extending.md says: one class and one
// registration call, in this one file and nowhere else. No test names them: the conformance tests
// (test_conformance.cpp, test_agents.cpp, test_generic_env.cpp) check them because they iterate
// the registries. The test below only makes sure that they are registered, so that it fails if the
// file stops registering them.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/agents/agent.h"
#include "hashrl/agents/bernoulli.h"
#include "hashrl/learners/learner.h"
#include "hashrl/rewards/code_reward.h"

using namespace hashrl;

namespace {

// Pays a triplet the squared distance to its negative minus the one to its positive.
class SquaredGapReward : public CodeReward {
 public:
  using CodeReward::CodeReward;
  torch::Tensor score(const torch::Tensor& codes) const override {
    const auto t = split_triplets(codes);
    return (t.anchor - t.negative).pow(2).sum(1) - (t.anchor - t.positive).pow(2).sum(1);
  }
};

// One linear layer from the features to every group's bit probabilities; no recurrent state.
class LinearAgent : public Agent {
 public:
  explicit LinearAgent(const EnvSpec& spec) : k_(spec.group_size), net_(spec.feature_dim, spec.code_length) {
    net_->to(spec.device);
  }
  RecurrentState initial_state(const Observation&) override { return {}; }
  std::pair<AgentStep, RecurrentState> act(const Observation& obs, const RecurrentState&, ActMode mode) override {
    const auto probs = torch::sigmoid(net_->forward(obs.features)).narrow(1, obs.step * k_, k_);
    const auto bits = draw_bits(probs, mode == ActMode::kGreedy);
    return {{{bits, probs}, bernoulli_log_prob(probs, bits), bernoulli_entropy(probs)}, {}};
  }
  torch::nn::Module& module() override { return *net_; }

 private:
  int64_t k_;
  torch::nn::Linear net_;
};

// REINFORCE on the group reward alone, with the batch mean as baseline.
class GroupReinforce : public Learner {
 public:
  LossTerms loss(const Trajectory& tr) override {
    const auto rg = torch::stack(tr.group_rewards).detach();  // [T, B]
    const auto score = -(episode_log_probs(tr) * (rg - rg.mean(1, true))).sum(0).mean();
    return {score, {{"score", score.detach()}}};
  }
};

const bool kRegistered = [] {
  reward_registry().add("triplet-squared-gap", [](const ConfigSection& s) { return std::make_shared<SquaredGapReward>(s); },
                        "tests: |a - n|^2 - |a - p|^2 of the codes");
  agent_registry().add("one-linear-layer", [](const Config&, const EnvSpec& spec) {
    return std::make_shared<LinearAgent>(spec);
  }, "tests: one linear layer, no state");
  learner_registry().add("group-reinforce", [](const ConfigSection&, const EnvSpec& spec) -> std::shared_ptr<Learner> {
    require_reward_terms(spec, "group-reinforce", {RewardTerm::kGroup});
    return std::make_shared<GroupReinforce>();
  }, "tests: REINFORCE on the group reward, batch-mean baseline");
  return true;
}();

}  // namespace

TEST_CASE("a reward, an agent and a learner added by one file each reach the registries the conformance tests iterate") {
  CHECK(reward_registry().contains("triplet-squared-gap"));
  CHECK(agent_registry().contains("one-linear-layer"));
  CHECK(learner_registry().contains("group-reinforce"));
}
