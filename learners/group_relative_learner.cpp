#include "hashrl/learners/group_relative_learner.h"

#include <torch/torch.h>

#include "hashrl/common/error.h"

namespace hashrl {
namespace {

const GroupRelativeOptions kDefaults;
KeyTable keys;
const auto kSignal = keys.choice("signal", kDefaults.signal(), kSignals,
                                 "what weights log pi at step t: Rg_t (group), the rewards from t on (reward-to-go), "
                                 "Rg_t plus R_G on the last step (total), or Rg_t + R_G at every step");
const auto kAdvantage = keys.choice("advantage", kDefaults.advantage(), kGroupAdvantages,
                                    "each episode's signal less the mean of its K - 1 siblings' (RLOO), or "
                                    "standardised within its K (GRPO)");
const auto kEntropyCoef = keys.real("entropy_coef", kDefaults.entropy_coef(), 0, 1e308,
                                     "weight of the entropy bonus (an action group's entropy, mean per row and step)");

}  // namespace

GroupRelativeOptions GroupRelativeOptions::from_config(const ConfigSection& s) {
  auto o = GroupRelativeOptions().signal(kSignal(s)).advantage(kAdvantage(s)).entropy_coef(kEntropyCoef(s));
  o.validate();
  return o;
}

void GroupRelativeOptions::validate() const {
  choice_name(signal(), kSignals);  // each throws on a value outside its enum
  choice_name(advantage(), kGroupAdvantages);
  if (!(entropy_coef() >= 0)) fail("group-relative option entropy_coef must be >= 0, got {}", entropy_coef());
}

torch::Tensor group_relative_advantages(const torch::Tensor& signal, int64_t k, GroupAdvantage kind) {
  if (k < 2 || signal.dim() != 2 || signal.size(1) % k != 0)
    fail("group-relative advantages need signals [T, B] with B a multiple of K >= 2, got {} and K = {}", signal.sizes(), k);
  const auto grouped = signal.view({signal.size(0), -1, k});  // [T, states, K]
  const auto mean = grouped.mean(2, true);
  torch::Tensor advantage;
  if (kind == GroupAdvantage::kLeaveOneOut)
    advantage = (grouped - mean) * (static_cast<double>(k) / static_cast<double>(k - 1));  // s - mean of the others
  else
    advantage = (grouped - mean) / (grouped.std(2, /*unbiased=*/false, true) + 1e-6);
  return advantage.view_as(signal);
}

GroupRelativeLearner::GroupRelativeLearner(GroupRelativeOptions options, const EnvSpec& spec)
    : options_(std::move(options)), samples_per_state_(spec.samples_per_state) {
  options_.validate();
  if (samples_per_state_ < 2)
    fail("learner 'group-relative' compares the episodes that start from one state, but env '{}' runs {} per state: "
         "run K >= 2 (HashEnv: env.samples_per_state = 8)",
         spec.name, samples_per_state_);
  if (options_.signal() == Signal::kGroup) require_reward_terms(spec, "group-relative", {RewardTerm::kGroup});
  require_reward_use(spec, "group-relative", reward_use());
}

LossTerms GroupRelativeLearner::loss(const Trajectory& tr) {
  const auto group = torch::stack(tr.group_rewards).detach();    // [T, B]
  const auto global = torch::stack(tr.global_rewards).detach();  // [T, B]
  const auto advantage =
      group_relative_advantages(reward_signal(options_.signal(), group, global), samples_per_state_, options_.advantage());
  const auto score = -(episode_log_probs(tr) * advantage).sum(0).mean();

  const auto entropy = mean_entropy(tr);

  // How much the K samples of one state differ in return: 0 when the reward ignores the action.
  const auto returns = (group + global).sum(0).view({-1, samples_per_state_});
  const auto spread = returns.std(1, /*unbiased=*/false).mean();

  LossTerms out;
  out.loss = score - options_.entropy_coef() * entropy;
  out.terms = {{"score", score.detach()},
               {"entropy", entropy.detach()},
               {"return_spread", spread},
               {"group_reward", group.sum(0).mean()},
               {"global_reward", global.sum(0).mean()}};
  return out;
}

void register_group_relative_learner(LearnerRegistry& registry) {
  registry.add("group-relative", [](const ConfigSection& s, const EnvSpec& spec) -> std::shared_ptr<Learner> {
    return std::make_shared<GroupRelativeLearner>(GroupRelativeOptions::from_config(s), spec);
  }, "RLOO / GRPO: each episode's reward against its siblings' from the same state (env.samples_per_state)", &keys);
}

}  // namespace hashrl
