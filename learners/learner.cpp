#include "hashrl/learners/learner.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/learners/reward_normalizer.h"

namespace hashrl {

void require_reward_terms(const EnvSpec& spec, const std::string& learner, const std::vector<RewardTerm>& needed) {
  for (const auto term : needed) {
    if (spec.pays(term)) continue;
    std::vector<std::string> paid;
    for (const auto t : spec.reward_terms) paid.push_back(to_string(t));
    fail("learner '{}' needs the env's {} reward, which env '{}' does not pay (it pays: {})", learner,
         to_string(term), spec.name, paid.empty() ? "none" : fmt::format("{}", fmt::join(paid, ", ")));
  }
}

void require_reward_use(const EnvSpec& spec, const std::string& learner, RewardUse use) {
  const auto& reward = spec.reward_dependence;
  const std::string setting = reward.setting.empty() ? "" : fmt::format(" ({})", reward.setting);
  if (use.score_function && !reward.on_action)
    fail("learner '{}' learns by the score function (log pi x reward) and needs a reward that changes with the "
         "sampled action, but env '{}' says its reward does not{}: the score term would be zero in expectation. "
         "Make the reward read the emitted bits (HashEnv: reward.codes = bits, or both)",
         learner, spec.name, setting);
  if (use.pathwise && !reward.differentiable)
    fail("learner '{}' differentiates the reward through the relaxed codes and needs a reward that carries their "
         "gradient, but env '{}' says its reward does not{}. Make it read the relaxed codes (HashEnv: "
         "reward.codes = probs, or both), or choose a learner without a pathwise term",
         learner, spec.name, setting);
}

UpdateResult Learner::update(const std::vector<Trajectory>& buffer, UpdateContext& context) {
  if (buffer.size() != 1)
    fail("this learner takes one rollout per update, got {}; a learner that wants more overrides "
         "episodes_per_update() and update()", buffer.size());
  const LossTerms terms = loss(buffer.front());
  UpdateResult result;
  result.grad_norm = context.optimizer_step(terms);
  result.loss = terms.loss.item<double>();
  for (const auto& [name, value] : terms.terms) result.terms[name] = value.item<double>();
  return result;
}

LossTerms Learner::loss(const Trajectory&) {
  fail("this learner defines neither loss() nor update(); one of them says how it learns");
}

void Learner::save(torch::serialize::OutputArchive& archive) {
  if (auto* m = module()) m->save(archive);
}

void Learner::load(torch::serialize::InputArchive& archive) {
  if (auto* m = module()) m->load(archive);
}

torch::Tensor episode_log_probs(const Trajectory& tr) {
  std::vector<torch::Tensor> per_step;
  for (const auto& step : tr.steps) per_step.push_back(episode_sum(step.log_prob, tr.rows_per_episode));
  return torch::stack(per_step);
}

torch::Tensor episode_sum(const torch::Tensor& per_row, int64_t rows_per_episode) {
  return per_row.view({rows_per_episode, -1}).sum(0);
}

torch::Tensor episode_rows_side_by_side(const torch::Tensor& per_row, int64_t rows_per_episode) {
  const int64_t b = per_row.size(0) / rows_per_episode;
  return per_row.reshape({rows_per_episode, b, -1}).permute({1, 0, 2}).reshape({b, -1});
}

torch::Tensor mean_entropy(const std::vector<torch::Tensor>& per_step) { return torch::stack(per_step).mean(); }

torch::Tensor mean_entropy(const Trajectory& trajectory) {
  std::vector<torch::Tensor> per_step;
  for (const auto& step : trajectory.steps) per_step.push_back(step.entropy);
  return mean_entropy(per_step);
}

namespace {
KeyTable shared_keys;
const auto kKind = shared_keys.name_of("kind", "", "a learner (below)", "how the agent learns", "the agent's");
const auto kNormalizeRewards = shared_keys.flag(
    "normalize_rewards", false,
    "divide the rewards the learner sees by a running std of the episode return (any learner; "
    "learners/reward_normalizer.h)");
}  // namespace

const KeyTable& learner_keys() { return shared_keys; }

// The built-ins, each registered by a function in its own file (docs/extending.md: why by name).
void register_reinforce_learner(LearnerRegistry& registry);
void register_supervised_learner(LearnerRegistry& registry);
void register_authors_learner(LearnerRegistry& registry);
void register_ppo_learners(LearnerRegistry& registry);
void register_group_relative_learner(LearnerRegistry& registry);

LearnerRegistry& learner_registry() {
  static LearnerRegistry registry = [] {
    LearnerRegistry r("learner");
    register_reinforce_learner(r);
    register_supervised_learner(r);
    register_authors_learner(r);
    register_ppo_learners(r);
    register_group_relative_learner(r);
    return r;
  }();
  return registry;
}

std::shared_ptr<Learner> make_learner(const ConfigSection& section, const std::string& fallback,
                                      const EnvSpec& spec) {
  auto learner = learner_registry().create(kKind.with_fallback(fallback), section, section, spec);
  if (kNormalizeRewards(section)) return std::make_shared<RewardNormalizer>(std::move(learner));
  return learner;
}

}  // namespace hashrl
