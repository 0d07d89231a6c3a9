// The REINFORCE gradient of a tiny case against the hand-computed one: with p = sigmoid(theta),
// d log P(b) / d theta = b - p, so d loss / d theta_{i,t} = -A_t (b_{i,t} - p_{i,t}).
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <sstream>

#include "hashrl/agents/agent.h"
#include "hashrl/encoders/encoder.h"
#include "hashrl/envs/hash_env.h"
#include "hashrl/learners/group_relative_learner.h"
#include "hashrl/learners/ppo_learner.h"
#include "hashrl/learners/reinforce_learner.h"
#include "hashrl/learners/reward_normalizer.h"
#include "tiny_image_env.h"

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

TEST_CASE("an episode's rows, stored one step's rows after another's, are summed and joined per episode") {
  // Two episodes of three rows (a triplet's): row r * 2 + i belongs to episode i.
  const auto per_row = torch::tensor({{1.0f, 2.0f}, {10.0f, 20.0f}, {3.0f, 4.0f}, {30.0f, 40.0f}, {5.0f, 6.0f},
                                      {50.0f, 60.0f}});
  CHECK(torch::equal(episode_sum(per_row.select(1, 0), 3), torch::tensor({9.0f, 90.0f})));
  CHECK(torch::equal(episode_rows_side_by_side(per_row, 3),
                     torch::tensor({{1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f}, {10.0f, 20.0f, 30.0f, 40.0f, 50.0f, 60.0f}})));
}

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

// --- the actor-critic learners (learners/actor_critic.h, ppo_learner.h) ---------------------------

TEST_CASE("GAE against hand-computed advantages") {
  // gamma 0.9, lambda 0.8, one episode of three steps:
  //   delta_2 = 2 + 0 - 1.0 = 1.0                      A_2 = 1.0
  //   delta_1 = 0 + 0.9 * 1.0 - 0.2 = 0.7              A_1 = 0.7 + 0.72 * 1.0 = 1.42
  //   delta_0 = 1 + 0.9 * 0.2 - 0.5 = 0.68             A_0 = 0.68 + 0.72 * 1.42 = 1.7024
  const auto rewards = torch::tensor({1.0, 0.0, 2.0}).view({3, 1});
  const auto values = torch::tensor({0.5, 0.2, 1.0}).view({3, 1});
  const auto advantages = generalized_advantages(rewards, values, 0.9, 0.8);
  CHECK(torch::allclose(advantages.view({3}), torch::tensor({1.7024, 1.42, 1.0}), 1e-5, 1e-6));
  // lambda = 1, gamma = 1: the return from each step less its value.
  const auto monte_carlo = generalized_advantages(rewards, values, 1.0, 1.0);
  CHECK(torch::allclose(monte_carlo.view({3}), torch::tensor({3.0 - 0.5, 2.0 - 0.2, 2.0 - 1.0}), 1e-5, 1e-6));
  CHECK_THROWS_WITH(generalized_advantages(rewards, values.view({1, 3}), 1, 1), Catch::Contains("one shape"));
}

TEST_CASE("PPO's clipped surrogate and clipped value loss against hand-computed values") {
  // Ratios e^0.5 = 1.6487 (clipped to 1.2), e^-0.5 = 0.6065 (clipped to 0.8), 1; advantages 2, 1, -3:
  //   min(1.6487 * 2, 1.2 * 2) = 2.4;  min(0.6065 * 1, 0.8 * 1) = 0.6065;  min(-3, -3) = -3
  //   loss = -(2.4 + 0.60653 - 3) / 3 = -0.0021771;  two of three ratios outside [0.8, 1.2]
  const auto old_lp = torch::tensor({-1.0, -1.0, -2.0});
  const auto new_lp = torch::tensor({-0.5, -1.5, -2.0}).requires_grad_(true);
  const auto adv = torch::tensor({2.0, 1.0, -3.0});
  const auto policy = clipped_policy_loss(new_lp, old_lp, adv, 0.2);
  CHECK(policy.loss.item<double>() == Approx(-(2.4 + std::exp(-0.5) - 3.0) / 3).margin(1e-6));
  CHECK(policy.clip_fraction.item<double>() == Approx(2.0 / 3));
  const double kl = ((std::exp(0.5) - 1 - 0.5) + (std::exp(-0.5) - 1 + 0.5)) / 3;
  CHECK(policy.approx_kl.item<double>() == Approx(kl).epsilon(1e-5));
  // The first ratio is clipped (above 1 + eps with a positive advantage): no gradient. The others
  // pass theirs: d loss / dx = -(1/3) A e^(x - old), i.e. -e^-0.5 / 3 and -(1/3)(-3) = 1.
  policy.loss.backward();
  CHECK(torch::allclose(new_lp.grad(), torch::tensor({0.0, -std::exp(-0.5) / 3, 1.0}), 1e-5, 1e-6));

  // Values 1.5 and 0 from old 1.0 and 0.5, returns 2 and 2, clip 0.2:
  //   plain (1.5 - 2)^2 = 0.25, clipped (1.2 - 2)^2 = 0.64 -> 0.64
  //   plain (0 - 2)^2 = 4, clipped (0.3 - 2)^2 = 2.89 -> 4;   0.5 * mean = 0.5 * 2.32 = 1.16
  const auto values = torch::tensor({1.5, 0.0}), old = torch::tensor({1.0, 0.5}), returns = torch::tensor({2.0, 2.0});
  CHECK(clipped_value_loss(values, old, returns, 0.2).item<double>() == Approx(1.16).epsilon(1e-5));
  CHECK(clipped_value_loss(values, old, returns, 0).item<double>() == Approx(0.5 * (0.25 + 4) / 2).epsilon(1e-5));
  const auto spread = torch::tensor({1.0, 3.0});
  CHECK(explained_variance(spread, spread) == Approx(1.0));
  CHECK(explained_variance(torch::tensor({2.0, 2.0}), spread) == Approx(0.0).margin(1e-9));
}

TEST_CASE("ppo and a2c options: ranges are checked, from a config or from code") {
  CHECK_THROWS_WITH(PpoOptions().clip(0).validate(), Catch::Contains("clip must be > 0"));
  CHECK_THROWS_WITH(PpoOptions().epochs(0).validate(), Catch::Contains("epochs must be 1 to 1024"));
  CHECK_THROWS_WITH(ActorCriticOptions().lambda(1.5).validate(), Catch::Contains("lambda must be in [0, 1]"));
  Config config = Config::from_string("[learner]\nkind = ppo\nminibatches = 9\n");
  EnvSpec spec;
  spec.code_length = 4, spec.group_size = 2, spec.batch_size = 8, spec.rows_per_episode = 3, spec.feature_dim = 5;
  CHECK_THROWS_WITH(PpoLearner(PpoOptions::from_config(ConfigSection(config, "learner")), spec),
                    Catch::Contains("learner.minibatches (9) must not exceed") && Catch::Contains("env.batch_size (8)"));
}

// --- the group-relative learner (learners/group_relative_learner.h) -------------------------------

TEST_CASE("group-relative advantages: leave-one-out and normalised within each group, by hand") {
  // One step, two states of K = 3 episodes each.
  const auto signal = torch::tensor({{1.0, 2.0, 6.0, 0.0, 0.0, 3.0}});
  const auto loo = group_relative_advantages(signal, 3, GroupAdvantage::kLeaveOneOut);
  // Episode 0: 1 - (2 + 6) / 2 = -3; episode 2: 6 - 1.5 = 4.5; episode 5: 3 - 0 = 3.
  CHECK(torch::allclose(loo, torch::tensor({{-3.0, -1.5, 4.5, -1.5, -1.5, 3.0}})));
  const auto normalized = group_relative_advantages(signal, 3, GroupAdvantage::kNormalized);
  const double sd = std::sqrt(((1 - 3.0) * (1 - 3.0) + 1 + 9) / 3.0), sd2 = std::sqrt((1 + 1 + 4) / 3.0);
  CHECK(torch::allclose(normalized, torch::tensor({{-2 / sd, -1 / sd, 3 / sd, -1 / sd2, -1 / sd2, 2 / sd2}}), 1e-4));
  CHECK_THROWS_WITH(group_relative_advantages(signal, 4, GroupAdvantage::kLeaveOneOut), Catch::Contains("multiple of K"));
}

TEST_CASE("group-relative: the gradient equals the hand-computed one, and no pathwise term is taken") {
  Tiny tiny(4, 3);  // 4 episodes: two states of K = 2
  auto spec = tiny.spec();
  spec.samples_per_state = 2;
  GroupRelativeLearner learner(GroupRelativeOptions().signal(Signal::kGroupGlobal), spec);
  // The rewards carry a gradient of theta that a pathwise term would follow; this learner must not.
  auto& tr = tiny.trajectory;
  for (auto& g : tr.group_rewards) g = g + 0 * tiny.theta.sum();
  learner.loss(tr).loss.backward();
  const auto signal = tiny.group + tiny.global.sum(0, true);
  const auto advantage = group_relative_advantages(signal, 2, GroupAdvantage::kLeaveOneOut);
  CHECK(torch::allclose(tiny.theta.grad(), tiny.expected_grad(advantage), 1e-5, 1e-6));
  CHECK(learner.reward_use().score_function);
  CHECK_FALSE(learner.reward_use().pathwise);
  const auto terms = learner.loss(tr).terms;
  for (const char* name : {"score", "entropy", "return_spread", "group_reward", "global_reward"})
    CHECK(terms.count(name) == 1);
}

TEST_CASE("group-relative refuses an env that runs one episode per state, naming the key") {
  const Tiny tiny(4, 3);
  CHECK_THROWS_WITH(GroupRelativeLearner(GroupRelativeOptions(), tiny.spec()),
                    Catch::Contains("'group-relative'") && Catch::Contains("env.samples_per_state"));
  const auto config = Config::from_string("[learner]\nadvantage = grpo\n");
  CHECK_THROWS_WITH(GroupRelativeOptions::from_config(ConfigSection(config, "learner")),
                    Catch::Contains("learner.advantage") && Catch::Contains("leave-one-out, normalized"));
}

TEST_CASE("a learner refuses a reward it cannot learn from, naming the learner, the env and the setting") {
  Tiny tiny(4, 3);
  auto spec = tiny.spec();
  spec.name = "HashEnv-v0";
  spec.reward_dependence = {false, true, "reward.codes = probs"};
  // The score function on a reward of the relaxed codes: zero in expectation.
  CHECK_THROWS_WITH(require_reward_use(spec, "a2c", {true, false}),
                    Catch::Contains("learner 'a2c' learns by the score function") && Catch::Contains("HashEnv-v0") &&
                        Catch::Contains("(reward.codes = probs)") && Catch::Contains("reward.codes = bits, or both"));
  CHECK_THROWS_WITH(ReinforceLearner(ReinforceOptions(), spec), Catch::Contains("learner 'reinforce'"));
  spec.reward_dependence = {true, false, "reward.codes = bits"};
  CHECK_THROWS_WITH(ReinforceLearner(ReinforceOptions().pathwise(Pathwise::kAll), spec),
                    Catch::Contains("learner 'reinforce' differentiates the reward") &&
                        Catch::Contains("(reward.codes = bits)"));
  CHECK_NOTHROW(ReinforceLearner(ReinforceOptions().pathwise(Pathwise::kNone), spec));
  spec.reward_dependence = {true, true, "reward.codes = both"};
  CHECK_NOTHROW(ReinforceLearner(ReinforceOptions().pathwise(Pathwise::kAll), spec));
}

// --- reward normalisation, an option of every learner (learners/reward_normalizer.h) --------------

namespace {

// Records the rewards it is handed; takes no optimiser step.
class RecordingLearner : public Learner {
 public:
  UpdateResult update(const std::vector<Trajectory>& buffer, UpdateContext&) override {
    seen = buffer.front().total_reward();
    return {};
  }
  torch::Tensor seen;
};

class NoContext : public UpdateContext {
 public:
  Agent& agent() override { throw std::logic_error("unused"); }
  double optimizer_step(const LossTerms&) override { return 0; }
};

}  // namespace

TEST_CASE("normalize_rewards divides every reward term by the running std of the return, and resumes it") {
  auto inner = std::make_shared<RecordingLearner>();
  RewardNormalizer normalizer(inner);
  NoContext context;
  Tiny a(4, 3), b(4, 3);
  normalizer.update({a.trajectory}, context);
  const auto result = normalizer.update({b.trajectory}, context);
  // The population std of the 8 returns seen so far.
  const auto returns = torch::cat({a.trajectory.total_reward(), b.trajectory.total_reward()}).to(torch::kFloat64);
  const double std = returns.std(/*unbiased=*/false).item<double>();
  CHECK(normalizer.scale() == Approx(1 / std));
  CHECK(result.terms.at("reward_scale") == Approx(1 / std));
  CHECK(torch::allclose(inner->seen, b.trajectory.total_reward() / std, 1e-5, 1e-6));
  const auto scaled = normalizer.scaled(b.trajectory);
  CHECK(torch::allclose(scaled.group_rewards[0], b.trajectory.group_rewards[0] / std, 1e-5, 1e-6));
  CHECK(torch::allclose(scaled.global_rewards[2], b.trajectory.global_rewards[2] / std, 1e-5, 1e-6));
  // Its statistics travel with the checkpoint.
  torch::serialize::OutputArchive out;
  normalizer.save(out);
  std::stringstream bytes;
  out.save_to(bytes);
  torch::serialize::InputArchive in;
  in.load_from(bytes);
  RewardNormalizer resumed(std::make_shared<RecordingLearner>());
  resumed.load(in);
  CHECK(resumed.scale() == Approx(normalizer.scale()));
  // make_learner wraps any learner when asked, and the wrapper keeps what the learner needs.
  const auto config = Config::from_string("[learner]\nkind = reinforce\npathwise = none\nnormalize_rewards = true\n");
  const auto learner = make_learner(ConfigSection(config, "learner"), "", a.spec());
  REQUIRE(dynamic_cast<RewardNormalizer*>(learner.get()) != nullptr);
  CHECK(learner->reward_use().score_function);
}

// --- ppo trains a trainable encoder (ppo_learner.h) ----------------------------------------------

namespace {

// Adam over the given parameters, one step per optimizer_step; the env runs its encoder again.
class AdamContext : public UpdateContext {
 public:
  AdamContext(Agent& agent, Env& env, std::vector<torch::Tensor> parameters)
      : agent_(agent), env_(env), adam_(parameters, torch::optim::AdamOptions(1e-2)) {}
  Agent& agent() override { return agent_; }
  torch::Tensor encode(const torch::Tensor& inputs) override { return env_.encode(inputs); }
  double optimizer_step(const LossTerms& terms) override {
    adam_.zero_grad();
    terms.loss.backward();
    adam_.step();
    return 0;
  }

 private:
  Agent& agent_;
  Env& env_;
  torch::optim::Adam adam_;
};

// Every parameter one update may step: the agent's, the env's (a trainable encoder's), the learner's.
std::vector<torch::Tensor> update_parameters(Agent& agent, Env& env, Learner& learner) {
  std::vector<torch::Tensor> parameters = agent.module().parameters();
  for (const auto& p : env.parameters()) parameters.push_back(p);
  if (learner.module())
    for (const auto& p : learner.module()->parameters()) parameters.push_back(p);
  return parameters;
}

std::vector<torch::Tensor> copies(const std::vector<torch::Tensor>& tensors) {
  std::vector<torch::Tensor> out;
  for (const auto& t : tensors) out.push_back(t.detach().clone());
  return out;
}

bool any_changed(const std::vector<torch::Tensor>& before, const std::vector<torch::Tensor>& after) {
  for (size_t i = 0; i < before.size(); ++i)
    if (!before[i].equal(after[i])) return true;
  return false;
}

}  // namespace

TEST_CASE("ppo trains a trainable encoder: each minibatch runs it again on the rollout's images") {
  for (const bool trainable : {true, false}) {
    INFO("encoder.trainable = " << trainable);
    torch::manual_seed(0);
    const auto config = test::tiny_image_config(trainable, "[learner]\nkind = ppo\nrollouts = 1\nepochs = 2\nminibatches = 2\n");
    auto env = test::tiny_image_env(config);
    auto agent = make_agent(config, env->spec());
    auto learner = make_learner(ConfigSection(config, "learner"), "", env->spec());
    const auto before = copies(env->encoder().parameters());
    const auto trajectory = rollout(*env, *agent, ActMode::kSample, 1);
    CHECK(trajectory.inputs.defined() == trainable);
    AdamContext context(*agent, *env, update_parameters(*agent, *env, *learner));
    learner->update({trajectory}, context);
    CHECK(any_changed(before, env->encoder().parameters()) == trainable);
  }
}

TEST_CASE("ppo with K episodes a state: the encoder runs once per state, and group advantages need no critic") {
  torch::manual_seed(0);
  const auto config = test::tiny_image_config(
      true, "[learner]\nkind = ppo\nrollouts = 1\nepochs = 2\nminibatches = 2\nadvantage = leave-one-out\n");
  auto env = test::tiny_image_env(config, 2);  // 4 triplets, 2 episodes each: 8 episodes, 24 rows
  REQUIRE(env->spec().batch_size == 8);
  auto agent = make_agent(config, env->spec());
  auto learner = make_learner(ConfigSection(config, "learner"), "", env->spec());
  const auto before = copies(env->encoder().parameters());
  const auto trajectory = rollout(*env, *agent, ActMode::kSample, 1);
  REQUIRE(trajectory.inputs.size(0) == 24);

  // Counts the images each minibatch encodes again.
  struct CountingContext : AdamContext {
    using AdamContext::AdamContext;
    std::vector<int64_t> encoded;
    torch::Tensor encode(const torch::Tensor& inputs) override {
      encoded.push_back(inputs.size(0));
      return AdamContext::encode(inputs);
    }
  } context(*agent, *env, update_parameters(*agent, *env, *learner));
  const auto result = learner->update({trajectory}, context);
  CHECK(context.encoded == std::vector<int64_t>(4, 12));  // 2 epochs x 2 minibatches, each state's 3 images once
  CHECK(result.terms.count("value") == 0);                 // no critic
  CHECK(result.terms.count("explained_variance") == 0);
  CHECK(std::isfinite(result.terms.at("policy")));
  CHECK(any_changed(before, env->encoder().parameters()));

  // Without K >= 2 there are no siblings to compare with: refused, naming the keys.
  auto one_per_state = test::tiny_image_env(config);
  CHECK_THROWS_WITH(make_learner(ConfigSection(config, "learner"), "", one_per_state->spec()),
                    Catch::Contains("learner.advantage = leave-one-out") && Catch::Contains("env.samples_per_state"));
}

TEST_CASE("entropy means one thing for every learner: a row's group entropy, averaged over rows and steps") {
  // Before issue 40, reinforce and group-relative logged (and weighed by entropy_coef) the mean
  // per row while a2c and ppo summed each episode's three rows: the same rollout logged three
  // times the entropy, and one coefficient did three times as much, depending on the learner.
  torch::manual_seed(0);
  const auto config = test::tiny_image_config(false);
  auto env = test::tiny_image_env(config);
  auto agent = make_agent(config, env->spec());
  const auto trajectory = rollout(*env, *agent, ActMode::kSample, 1);
  double expected = 0;
  for (const auto& step : trajectory.steps) expected += step.entropy.mean().item<double>();
  expected /= static_cast<double>(trajectory.steps.size());
  REQUIRE(expected > 0.1);

  EnvSpec two_per_state = env->spec();  // group-relative compares siblings: two of the 4 episodes a state
  two_per_state.samples_per_state = 2;
  CHECK(ReinforceLearner(ReinforceOptions().pathwise(Pathwise::kNone), env->spec()).loss(trajectory).terms.at("entropy").item<double>() ==
        Approx(expected));
  CHECK(GroupRelativeLearner(GroupRelativeOptions(), two_per_state).loss(trajectory).terms.at("entropy").item<double>() ==
        Approx(expected));
  CHECK(A2cLearner(ActorCriticOptions(), env->spec()).loss(trajectory).terms.at("entropy").item<double>() ==
        Approx(expected));
  // ppo logs the mean over its minibatches; one epoch of one minibatch scores the rollout's own
  // actions before its only step, with the same parameters.
  PpoLearner ppo(PpoOptions().rollouts(1).epochs(1).minibatches(1), env->spec());
  AdamContext context(*agent, *env, update_parameters(*agent, *env, ppo));
  CHECK(ppo.update({trajectory}, context).terms.at("entropy") == Approx(expected).epsilon(1e-4));
}
