#include "hashrl/env/check_env.h"

#include <fmt/format.h>
#include <torch/torch.h>

namespace hashrl {
namespace {

// A tensor against the box the spec declares for it.
void expect_fits(Checker& check, const Box& box, const torch::Tensor& t, const std::string& what) {
  const std::string wrong = box.check_values(t);
  check.expect(wrong.empty(), what + " fits " + box.describe(), wrong);
}

struct Episode {
  torch::Tensor first_features;
  std::vector<torch::Tensor> rewards;
};

// Runs one episode with the given actions (drawing new ones when `actions` is short) and checks
// every step against the spec.
Episode run_episode(Env& env, uint64_t seed, std::vector<Action>& actions, Checker& check, bool report) {
  const EnvSpec& spec = env.spec();
  torch::manual_seed(seed);  // encoders with dropout draw from the global generator
  auto [obs, info] = env.reset(seed);
  Episode episode{obs.features.detach().clone(), {}};
  const auto obs_space = spec.observation_space();
  if (report) {
    expect_fits(check, obs_space.at("features"), obs.features.detach(), "reset: observation.features");
    expect_fits(check, obs_space.at("bits"), obs.bits, "reset: observation.bits");
    check.expect(obs.step == 0, "reset: observation.step is 0", fmt::format("got {}", obs.step));
  }
  auto gen = at::detail::createCPUGenerator(seed + 1);
  const auto reward_box = Box{{spec.batch_size}, torch::kFloat32, spec.device};
  for (int64_t t = 0; t < spec.num_steps(); ++t) {
    if (static_cast<int64_t>(actions.size()) <= t) {
      const auto probs = at::rand({spec.num_rows(), spec.group_size}, gen);
      actions.push_back({at::bernoulli(probs, gen).to(spec.device), probs.to(spec.device)});
    }
    auto result = env.step(actions[t]);
    episode.rewards.push_back(result.reward.detach().clone());
    if (!report) continue;
    const std::string at = fmt::format("step {}", t);
    const bool last = t + 1 == spec.num_steps();
    check.expect(reward_box.mismatch(result.reward).empty(), at + ": reward is float [B] on the env's device",
                 reward_box.mismatch(result.reward));
    check.expect(torch::isfinite(result.reward).all().item<bool>(), at + ": reward is finite");
    check.expect(result.terminated.scalar_type() == torch::kBool && result.terminated.numel() == spec.batch_size,
                 at + ": terminated is bool [B]");
    check.expect(result.terminated.all().item<bool>() == last && result.terminated.any().item<bool>() == last,
                 at + (last ? ": terminated on the last step" : ": not terminated before the last step"));
    check.expect(!result.truncated.any().item<bool>(), at + ": not truncated");
    expect_fits(check, obs_space.at("bits"), result.observation.bits, at + ": observation.bits");
    check.expect(result.observation.step == t + 1, at + ": observation.step advances",
                 fmt::format("got {}", result.observation.step));
    const auto emitted = result.observation.bits.slice(1, t * spec.group_size, (t + 1) * spec.group_size);
    check.expect(emitted.equal(actions[t].bits), at + ": observation.bits holds the action's bits");
    for (const auto term : {RewardTerm::kGroup, RewardTerm::kGlobal}) {
      const auto& value = term == RewardTerm::kGroup ? result.group_reward : result.global_reward;
      const std::string name = at + ": " + to_string(term) + "_reward";
      check.expect(reward_box.mismatch(value).empty(), name + " is float [B] on the env's device",
                   reward_box.mismatch(value));
      if (!reward_box.mismatch(value).empty()) continue;
      const bool zero = !value.detach().any().item<bool>();
      if (!spec.pays(term)) check.expect(zero, name + " is 0: the spec does not declare it");
      if (term == RewardTerm::kGlobal && !last) check.expect(zero, name + " is 0 before the last step");
    }
    if (reward_box.mismatch(result.group_reward).empty() && reward_box.mismatch(result.global_reward).empty())
      check.expect(torch::allclose(result.reward.detach(), (result.group_reward + result.global_reward).detach()),
                   at + ": reward = group_reward + global_reward");
  }
  return episode;
}

// The same probabilities as `actions`, with bits drawn anew from them by `gen`.
std::vector<Action> redrawn(const std::vector<Action>& actions, at::Generator& gen) {
  std::vector<Action> out;
  for (const auto& a : actions) {
    const auto probs = a.probs.detach().cpu();
    out.push_back({at::bernoulli(probs, gen).to(a.bits.device()), a.probs});
  }
  return out;
}

}  // namespace

CheckReport check_env(Env& env, uint64_t seed) {
  CheckReport report;
  Checker check(report);
  const EnvSpec& spec = env.spec();
  check.expect(spec.num_steps() * spec.group_size == spec.code_length && spec.num_steps() >= 1,
               "spec: episode length q/k is a whole number of steps");
  std::vector<Action> actions;
  try {
    const auto first = run_episode(env, seed, actions, check, true);
    bool threw = false;
    try {
      env.step(actions.front());
    } catch (const std::exception&) {
      threw = true;
    }
    check.expect(threw, "a step after the end of the episode is an error");

    const auto again = run_episode(env, seed, actions, check, false);
    check.expect(first.first_features.equal(again.first_features), "the same seed gives the same batch");
    bool same = first.rewards.size() == again.rewards.size();
    for (size_t t = 0; same && t < first.rewards.size(); ++t) same = first.rewards[t].equal(again.rewards[t]);
    check.expect(same, "the same seed and actions give the same rewards");
  } catch (const std::exception& e) {
    report.failed.push_back(std::string("the env threw: ") + e.what());
  }
  return report;
}

CheckReport check_action_dependence(Env& env, uint64_t seed, int64_t draws) {
  CheckReport report;
  report.name = "check_action_dependence";
  Checker check(report);
  const std::string what = "the reward changes with the sampled bits (one state, the same probabilities)";
  try {
    std::vector<Action> actions;
    const auto first = run_episode(env, seed, actions, check, false);
    auto gen = at::detail::createCPUGenerator(seed + 7919);
    for (int64_t d = 0; d < draws; ++d) {
      auto other = redrawn(actions, gen);
      const auto again = run_episode(env, seed, other, check, false);
      for (size_t t = 0; t < first.rewards.size(); ++t)
        if (!first.rewards[t].equal(again.rewards[t])) {
          check.expect(true, what);
          return report;
        }
    }
    const auto& reward = env.spec().reward_dependence;
    check.expect(false, what,
                 fmt::format("{} draws of other bits gave every episode the same reward at every step: a score-function "
                             "learner gets nothing from it{}",
                             draws, reward.setting.empty() ? "" : " (" + reward.setting + ")"));
  } catch (const std::exception& e) {
    report.failed.push_back(std::string("the env threw: ") + e.what());
  }
  return report;
}

}  // namespace hashrl
