#include "hashrl/learners/reinforce_learner.h"

#include <torch/torch.h>

namespace hashrl {
namespace {

const ReinforceOptions kDefaults;
KeyTable keys;
const auto kSignal = keys.choice("signal", kDefaults.signal(), kSignals,
                                 "what weights log pi: the group reward (Rg, eq. 8), the rewards from the step on, "
                                 "Rg plus R_G on the last step, or Rg plus R_G at every step");
const auto kBaseline = keys.choice("baseline", kDefaults.baseline(), kBaselines,
                                   "subtracted from the signal: nothing, its per-step batch mean, or a learned value "
                                   "per step from the triplet's features (fitted by squared error, checkpointed)");
const auto kCriticHidden = keys.integer("critic_hidden", kDefaults.critic_hidden(), 1, 16384,
                                        "baseline = critic: hidden width of the critic's two-layer MLP");
const auto kCriticCoef = keys.real("critic_coef", kDefaults.critic_coef(), 0, 1e308,
                                   "baseline = critic: weight of the critic's squared error in the loss");
const auto kNormalize = keys.flag("normalize", kDefaults.normalize(), "divide advantages by their standard deviation");
const auto kPathwiseKey = keys.choice("pathwise", kDefaults.pathwise(), kPathwise,
                                      "the rewards differentiated through the relaxed codes: global is eq. 9 (the "
                                      "paper); all adds the group rewards (drlih-cpu's choice, docs/results.md)");
const auto kPathwiseWeight = keys.real("pathwise_weight", kDefaults.pathwise_weight(), 0, 1e308,
                                       "weight of the pathwise term");
const auto kEntropyCoef = keys.real("entropy_coef", kDefaults.entropy_coef(), 0, 1e308,
                                     "weight of the entropy bonus (an action group's entropy, mean per row and step)");

}  // namespace

ReinforceOptions ReinforceOptions::from_config(const ConfigSection& s) {
  ReinforceOptions o;
  o.signal(kSignal(s));
  o.baseline(kBaseline(s));
  if (o.baseline() == Baseline::kCritic) {
    o.critic_hidden(kCriticHidden(s));
    o.critic_coef(kCriticCoef(s));
  }
  o.normalize(kNormalize(s));
  o.pathwise(kPathwiseKey(s));
  o.pathwise_weight(kPathwiseWeight(s));
  o.entropy_coef(kEntropyCoef(s));
  o.validate();
  return o;
}

void ReinforceOptions::validate() const {
  choice_name(signal(), kSignals);  // each throws on a value outside its enum
  choice_name(baseline(), kBaselines);
  choice_name(pathwise(), kPathwise);
  if (critic_hidden() < 1 || critic_hidden() > 16384)
    fail("reinforce option critic_hidden must be 1 to 16384, got {}", critic_hidden());
  for (const auto& [name, value] : {std::pair{"pathwise_weight", pathwise_weight()},
                                    std::pair{"entropy_coef", entropy_coef()}, std::pair{"critic_coef", critic_coef()}})
    if (!(value >= 0)) fail("reinforce option {} must be >= 0, got {}", name, value);
}

ReinforceLearner::ReinforceLearner(ReinforceOptions options, const EnvSpec& spec) : options_(std::move(options)) {
  options_.validate();
  // signal = group weighs log pi by the group reward alone; the pathwise terms differentiate the
  // global reward, and with `all` the group reward too (either may then be absent, not both).
  std::vector<RewardTerm> needed;
  if (options_.signal() == Signal::kGroup) needed.push_back(RewardTerm::kGroup);
  if (options_.pathwise() == Pathwise::kGlobal) needed.push_back(RewardTerm::kGlobal);
  require_reward_terms(spec, "reinforce", needed);
  require_reward_use(spec, "reinforce", reward_use());
  if (options_.baseline() != Baseline::kCritic) return;
  namespace nn = torch::nn;
  critic_ = nn::Sequential(nn::Linear(spec.rows_per_episode * spec.feature_dim, options_.critic_hidden()), nn::ReLU(),
                           nn::Linear(options_.critic_hidden(), spec.num_steps())).ptr();
  critic_->to(spec.device);
}

RewardUse ReinforceLearner::reward_use() const {
  return {true, options_.pathwise() != Pathwise::kNone && options_.pathwise_weight() > 0};
}

LossTerms ReinforceLearner::loss(const Trajectory& tr) {
  const auto group = torch::stack(tr.group_rewards);    // [T, B], with autograd history if any
  const auto global = torch::stack(tr.global_rewards);  // [T, B], zero before the last step
  const auto log_probs = episode_log_probs(tr);         // [T, B]

  // Eq. 8: each group's log-probability weighted by its (detached) reward signal.
  const torch::Tensor signal = reward_signal(options_.signal(), group, global);
  torch::Tensor advantage = signal;
  torch::Tensor critic_loss = torch::zeros({}, signal.options());
  if (options_.baseline() == Baseline::kBatchMean) advantage = advantage - advantage.mean(1, true);
  if (critic_) {
    // The value of each step for each episode, from its rows' (detached) features (a triplet's three).
    const auto input = episode_rows_side_by_side(tr.features.detach(), tr.rows_per_episode);
    const auto value = critic_->forward(input).t();  // [T, B]
    critic_loss = (value - signal).pow(2).mean();
    advantage = advantage - value.detach();
  }
  if (options_.normalize()) advantage = advantage / (advantage.std() + 1e-8);
  const auto score = -(log_probs * advantage).sum(0).mean();

  // Eq. 9: the global reward's gradient through the relaxed codes (zero when it carries none).
  torch::Tensor pathwise = torch::zeros({}, score.options());
  if (options_.pathwise() == Pathwise::kGlobal) pathwise = -global.sum(0).mean();
  if (options_.pathwise() == Pathwise::kAll) pathwise = -(group + global).sum(0).mean();

  const auto entropy = mean_entropy(tr);

  LossTerms out;
  out.loss = score + options_.pathwise_weight() * pathwise - options_.entropy_coef() * entropy +
             options_.critic_coef() * critic_loss;
  out.terms = {{"score", score.detach()},
               {"pathwise", pathwise.detach()},
               {"entropy", entropy.detach()},
               {"critic", critic_loss.detach()},
               {"group_reward", group.detach().sum(0).mean()},
               {"global_reward", global.detach().sum(0).mean()}};
  return out;
}

void register_reinforce_learner(LearnerRegistry& registry) {
  registry.add("reinforce", [](const ConfigSection& s, const EnvSpec& spec) -> std::shared_ptr<Learner> {
    return std::make_shared<ReinforceLearner>(ReinforceOptions::from_config(s), spec);
  }, "REINFORCE with action groups + pathwise global reward (eq. 8-9)", &keys);
}

}  // namespace hashrl
