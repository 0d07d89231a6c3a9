// The REINFORCE gradient of a tiny case against the hand-computed one: with p = sigmoid(theta),
// d log P(b) / d theta = b - p, so d loss / d theta_{i,t} = -A_t (b_{i,t} - p_{i,t}).
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hashrl/rollout/reinforce_learner.h"

using namespace hashrl;

namespace {

// B triplets (3B images), T steps of k = 1 bit, p = sigmoid(theta[:, t]).
struct Tiny {
  int64_t b, t;
  torch::Tensor theta, bits, group, global;
  Trajectory trajectory;

  Tiny(int64_t triplets, int64_t steps) : b(triplets), t(steps) {
    auto gen = at::detail::createCPUGenerator(11);
    theta = at::randn({3 * b, t}, gen).requires_grad_(true);
    bits = (at::rand({3 * b, t}, gen) > 0.5).to(torch::kFloat32);
    group = at::randn({t, b}, gen);
    global = torch::zeros({t, b});
    global[t - 1] = at::randn({b}, gen);
    trajectory.batch_size = b;
    trajectory.rows_per_episode = 3;
    const auto probs = torch::sigmoid(theta);
    for (int64_t s = 0; s < t; ++s) {
      const auto p = probs.slice(1, s, s + 1), x = bits.slice(1, s, s + 1);
      const auto log_prob = (x * p.log() + (1 - x) * (1 - p).log()).sum(1);
      trajectory.steps.push_back({{x, p}, log_prob, torch::zeros({3 * b})});
      trajectory.group_rewards.push_back(group[s]);
      trajectory.global_rewards.push_back(global[s]);
      trajectory.rewards.push_back(group[s] + global[s]);
    }
    trajectory.bits = bits;
    trajectory.probs = probs;
    trajectory.features = at::randn({3 * b, 5}, gen);
  }

  EnvSpec spec() const {
    EnvSpec s;
    s.code_length = t, s.group_size = 1, s.batch_size = b, s.rows_per_episode = 3, s.feature_dim = 5;
    return s;
  }

  // -A_t (b - p) for every image, with A [T, B] broadcast to the triplet's three images.
  torch::Tensor expected_grad(const torch::Tensor& advantage) const {
    const auto p = torch::sigmoid(theta.detach());
    const auto per_image = advantage.t().repeat({3, 1});  // [3B, T]
    return -per_image * (bits - p) / static_cast<double>(b);
  }
};

}  // namespace

TEST_CASE("REINFORCE with action groups: the gradient equals the hand-computed one") {
  Tiny tiny(1, 3);
  ReinforceLearner learner(ReinforceOptions().baseline(Baseline::kNone).pathwise(Pathwise::kNone), tiny.spec());
  learner.loss(tiny.trajectory).loss.backward();
  CHECK(torch::allclose(tiny.theta.grad(), tiny.expected_grad(tiny.group), 1e-5, 1e-6));
}

TEST_CASE("reward-to-go and the batch-mean baseline change the weights as documented") {
  Tiny tiny(4, 3);
  ReinforceLearner learner(ReinforceOptions().signal(Signal::kRewardToGo).baseline(Baseline::kBatchMean).pathwise(Pathwise::kNone), tiny.spec());
  learner.loss(tiny.trajectory).loss.backward();
  auto to_go = (tiny.group + tiny.global).flip(0).cumsum(0).flip(0);
  const auto advantage = to_go - to_go.mean(1, true);
  CHECK(torch::allclose(tiny.theta.grad(), tiny.expected_grad(advantage), 1e-5, 1e-6));
}

TEST_CASE("every loss term is logged apart") {
  Tiny tiny(2, 2);
  ReinforceLearner learner(ReinforceOptions().entropy_coef(0.1), tiny.spec());
  const auto terms = learner.loss(tiny.trajectory);
  for (const char* name : {"score", "pathwise", "entropy", "critic", "group_reward", "global_reward"})
    CHECK(terms.terms.count(name) == 1);
}

TEST_CASE("a learned critic is fitted to the signal and subtracted from it") {
  Tiny tiny(4, 3);
  ReinforceLearner learner(ReinforceOptions().baseline(Baseline::kCritic).pathwise(Pathwise::kNone).critic_coef(1.0), tiny.spec());
  REQUIRE(learner.module() != nullptr);
  const auto terms = learner.loss(tiny.trajectory);
  terms.loss.backward();
  // The critic gets gradients from its squared error, and the score term uses signal - value.
  for (const auto& p : learner.module()->parameters()) CHECK(p.grad().defined());
  CHECK(terms.terms.at("critic").item<double>() > 0.0);
  auto* critic = learner.module()->as<torch::nn::Sequential>();
  REQUIRE(critic != nullptr);
  const auto input = tiny.trajectory.features.view({3, 4, 5}).permute({1, 0, 2}).reshape({4, 15});
  const auto advantage = tiny.group - critic->forward(input).t().detach();
  CHECK(torch::allclose(tiny.theta.grad(), tiny.expected_grad(advantage), 1e-5, 1e-6));
}

TEST_CASE("reinforce options: choices parse once into enums, and bad ones, from a config or from code, name the option") {
  const auto config = Config::from_string("[learner]\nsignal = reward-to-go\nbaseline = critic\npathwise = all\n");
  const auto o = ReinforceOptions::from_config(ConfigSection(config, "learner"));
  CHECK(o.signal() == Signal::kRewardToGo);
  CHECK(o.baseline() == Baseline::kCritic);
  CHECK(o.pathwise() == Pathwise::kAll);
  const auto typo = Config::from_string("[learner]\nbaseline = critc\n");
  CHECK_THROWS_WITH(ReinforceOptions::from_config(ConfigSection(typo, "learner")),
                    Catch::Contains("learner.baseline") && Catch::Contains("none, batch-mean, critic"));
  const Tiny tiny(2, 2);
  CHECK_THROWS_WITH(ReinforceLearner(ReinforceOptions().critic_hidden(0), tiny.spec()), Catch::Contains("critic_hidden"));
  CHECK_THROWS_WITH(ReinforceLearner(ReinforceOptions().entropy_coef(-1), tiny.spec()), Catch::Contains("entropy_coef"));
  CHECK_THROWS_WITH(ReinforceLearner(ReinforceOptions().baseline(static_cast<Baseline>(7)), tiny.spec()),
                    Catch::Contains("none, batch-mean, critic"));
}
