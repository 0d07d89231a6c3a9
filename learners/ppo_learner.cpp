#include "hashrl/learners/ppo_learner.h"

#include <torch/torch.h>

#include "hashrl/common/error.h"

namespace hashrl {

namespace {

const PpoOptions kDefaults;
KeyTable own_keys;
const auto kRollouts = own_keys.integer("rollouts", kDefaults.rollouts(), 1, 1024, "rollouts (B episodes each) per update");
const auto kEpochs = own_keys.integer("epochs", kDefaults.epochs(), 1, 1024, "passes over the rollouts per update");
const auto kMinibatches = own_keys.integer("minibatches", kDefaults.minibatches(), 1, 65536,
                                           "shuffled minibatches of episodes per rollout and epoch (at most B)");
const auto kClip = own_keys.real("clip", kDefaults.clip(), 1e-9, 1e308, "the ratio's clip range epsilon");
const auto kValueClip = own_keys.real("value_clip", kDefaults.value_clip(), 0, 1e308,
                                      "the value's clip range around its old value (0: none)");
const auto kTargetKl = own_keys.real("target_kl", kDefaults.target_kl(), 0, 1e308,
                                     "stop an update's epochs when approx_kl > 1.5 x this (0: never)");
const auto kAdvantage = own_keys.choice("advantage", kDefaults.advantage(), kPpoAdvantages,
                                        "the critic's GAE, or each episode's Rg_t + R_G against its state's K - 1 "
                                        "siblings' (RLOO; normalized: GRPO's), which needs env.samples_per_state >= 2");

// One rollout prepared for the epochs: what the policy and the critic are compared against.
struct Prepared {
  const Trajectory* trajectory;
  torch::Tensor old_log_prob;  // [T, B], detached
  torch::Tensor old_values;    // [T, B], detached
  torch::Tensor advantages;    // [T, B]
  torch::Tensor returns;       // [T, B]
};

GroupAdvantage group_advantage(PpoAdvantage advantage) {
  return advantage == PpoAdvantage::kNormalized ? GroupAdvantage::kNormalized : GroupAdvantage::kLeaveOneOut;
}

// The rollout's features encoded again from its inputs, with autograd. With K episodes a state the
// K copies of a state's rows hold the same inputs (EnvSpec::samples_per_state): the encoder runs
// on the rows of each state's first episode, K times fewer images, and the copies share them.
torch::Tensor encode_again(UpdateContext& context, const torch::Tensor& inputs, const EnvSpec& spec) {
  const int64_t k = spec.samples_per_state;
  if (k == 1) return context.encode(inputs);
  const int64_t states = spec.batch_size / k, rows_per_episode = spec.rows_per_episode;
  const auto options = torch::dtype(torch::kLong).device(inputs.device());
  const auto first_episodes = torch::arange(0, spec.batch_size, k, options);
  const auto features = context.encode(inputs.index_select(0, episode_rows(first_episodes, spec.batch_size, rows_per_episode)));
  const auto copies = torch::arange(rows_per_episode * states, options).view({rows_per_episode, states});
  return features.index_select(0, copies.repeat_interleave(k, 1).flatten());
}

// The observations of `rows`: with `features` (the rollout's rows encoded again, with autograd)
// when given, else the rollout's own, detached (their graph is spent by the first step).
std::vector<Observation> select_rows(const std::vector<Observation>& observations, const torch::Tensor& rows,
                                     const torch::Tensor& features) {
  std::vector<Observation> out;
  for (const auto& o : observations)
    out.push_back({features.defined() ? features.index_select(0, rows) : o.features.detach().index_select(0, rows),
                   o.bits.index_select(0, rows), o.step});
  return out;
}

}  // namespace

const KeyTable& ppo_keys() {
  static const KeyTable table = [] {
    KeyTable t = own_keys;
    t.append(actor_critic_keys());
    return t;
  }();
  return table;
}

PpoOptions PpoOptions::from_config(const ConfigSection& s) {
  PpoOptions o;
  o.actor_critic(ActorCriticOptions::from_config(s));
  o.rollouts(kRollouts(s));
  o.epochs(kEpochs(s));
  o.minibatches(kMinibatches(s));
  o.clip(kClip(s));
  o.value_clip(kValueClip(s));
  o.target_kl(kTargetKl(s));
  o.advantage(kAdvantage(s));
  o.validate();
  return o;
}

void PpoOptions::validate() const {
  actor_critic().validate();
  for (const auto& [name, value] : {std::pair{"rollouts", rollouts()}, std::pair{"epochs", epochs()}})
    if (value < 1 || value > 1024) fail("ppo option {} must be 1 to 1024, got {}", name, value);
  if (minibatches() < 1) fail("ppo option minibatches must be at least 1, got {}", minibatches());
  if (!(clip() > 0)) fail("ppo option clip must be > 0, got {}", clip());
  for (const auto& [name, value] : {std::pair{"value_clip", value_clip()}, std::pair{"target_kl", target_kl()}})
    if (!(value >= 0)) fail("ppo option {} must be >= 0, got {}", name, value);
  choice_name(advantage(), kPpoAdvantages);  // throws on a value outside the enum
}

PpoLearner::PpoLearner(PpoOptions options, const EnvSpec& spec)
    : options_(std::move(options)), spec_(spec), critic_(spec, options_.actor_critic().critic_hidden()) {
  options_.validate();
  require_reward_use(spec, "ppo", reward_use());  // first: a reward it cannot learn from is the deeper mismatch
  if (options_.minibatches() > spec.batch_size)
    fail("learner.minibatches ({}) must not exceed the episodes of a rollout, env.batch_size ({})",
         options_.minibatches(), spec.batch_size);
  if (options_.advantage() != PpoAdvantage::kGae && spec.samples_per_state < 2)
    fail("learner.advantage = {} compares the episodes that start from one state, but env '{}' runs {} per state: "
         "run K >= 2 (HashEnv: env.samples_per_state = 8) or use learner.advantage = gae",
         choice_name(options_.advantage(), kPpoAdvantages), spec.name, spec.samples_per_state);
}

UpdateResult PpoLearner::update(const std::vector<Trajectory>& buffer, UpdateContext& context) {
  const auto& ac = options_.actor_critic();
  const int64_t rows_per_episode = spec_.rows_per_episode, batch = spec_.batch_size;
  const bool uses_critic = options_.advantage() == PpoAdvantage::kGae;
  std::vector<Prepared> prepared;
  std::vector<torch::Tensor> all_values, all_returns;
  for (const auto& trajectory : buffer) {
    torch::NoGradGuard no_grad;
    Prepared p{&trajectory, episode_log_probs(trajectory).detach(), {}, {}, {}};
    if (uses_critic) {
      p.old_values = critic_->forward(trajectory.observations);
      p.advantages = generalized_advantages(torch::stack(trajectory.rewards).detach(), p.old_values, ac.gamma(),
                                            ac.lambda());
      p.returns = p.advantages + p.old_values;
      all_values.push_back(p.old_values);
      all_returns.push_back(p.returns);
    } else {
      const auto signal = reward_signal(Signal::kGroupGlobal, torch::stack(trajectory.group_rewards).detach(),
                                        torch::stack(trajectory.global_rewards).detach());
      p.advantages = group_relative_advantages(signal, spec_.samples_per_state, group_advantage(options_.advantage()));
    }
    prepared.push_back(std::move(p));
  }
  Agent& agent = context.agent();
  UpdateResult result;
  std::map<std::string, double> sums;
  int64_t minibatch_steps = 0;
  bool kl_stop = false;
  for (int64_t epoch = 0; epoch < options_.epochs() && !kl_stop; ++epoch) {
    double epoch_kl = 0;
    int64_t epoch_minibatches = 0;
    for (const auto& p : prepared) {
      const auto order = torch::randperm(batch, torch::dtype(torch::kLong).device(spec_.device));
      for (const auto& episodes : order.chunk(options_.minibatches())) {
        const auto rows = episode_rows(episodes, batch, rows_per_episode);
        // A trainable encoder runs again on the rollout's inputs, each state's once (its batch
        // statistics as the rollout had them), so that this step trains it; the minibatch takes its rows.
        const auto features =
            p.trajectory->inputs.defined() ? encode_again(context, p.trajectory->inputs, spec_) : torch::Tensor();
        const auto observations = select_rows(p.trajectory->observations, rows, features);
        std::vector<Action> actions;
        for (const auto& step : p.trajectory->steps) actions.push_back({step.action.bits.index_select(0, rows), {}});
        const auto scored = agent.evaluate(observations, actions, agent.initial_state(observations.front()));
        std::vector<torch::Tensor> log_probs, entropies;
        for (const auto& s : scored) {
          log_probs.push_back(episode_sum(s.log_prob, rows_per_episode));
          entropies.push_back(s.entropy);
        }
        const auto new_log_prob = torch::stack(log_probs);  // [T, b]
        auto advantages = p.advantages.index_select(1, episodes);
        if (ac.normalize_advantages() && advantages.numel() > 1)
          advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8);
        const auto policy = clipped_policy_loss(new_log_prob, p.old_log_prob.index_select(1, episodes), advantages,
                                                options_.clip());
        const auto entropy = mean_entropy(entropies);
        LossTerms terms;
        terms.loss = policy.loss - ac.entropy_coef() * entropy;
        terms.terms = {{"policy", policy.loss.detach()},
                       {"entropy", entropy.detach()},
                       {"approx_kl", policy.approx_kl},
                       {"clip_fraction", policy.clip_fraction}};
        if (uses_critic) {
          const auto values = critic_->forward(p.trajectory->observations, episodes);
          const auto value_loss = clipped_value_loss(values, p.old_values.index_select(1, episodes),
                                                     p.returns.index_select(1, episodes), options_.value_clip());
          terms.loss = terms.loss + ac.value_coef() * value_loss;
          terms.terms["value"] = value_loss.detach();
        }
        result.grad_norm = context.optimizer_step(terms);
        result.loss = terms.loss.item<double>();
        for (const auto& [name, value] : terms.terms) sums[name] += value.item<double>();
        epoch_kl += policy.approx_kl.item<double>();
        ++epoch_minibatches;
        ++minibatch_steps;
      }
    }
    kl_stop = options_.target_kl() > 0 && epoch_kl / epoch_minibatches > 1.5 * options_.target_kl();
  }
  for (const auto& [name, sum] : sums) result.terms[name] = sum / static_cast<double>(minibatch_steps);
  result.terms["optimizer_steps"] = static_cast<double>(minibatch_steps);
  if (uses_critic)
    result.terms["explained_variance"] = explained_variance(torch::cat(all_values, 1), torch::cat(all_returns, 1));
  return result;
}

const KeyTable& a2c_keys() { return actor_critic_keys(); }

A2cLearner::A2cLearner(ActorCriticOptions options, const EnvSpec& spec)
    : options_(std::move(options)), critic_(spec, options_.critic_hidden()) {
  options_.validate();
}

LossTerms A2cLearner::loss(const Trajectory& trajectory) {
  const auto values = critic_->forward(trajectory.observations);  // [T, B]
  torch::Tensor advantages, returns;
  {
    torch::NoGradGuard no_grad;
    advantages = generalized_advantages(torch::stack(trajectory.rewards).detach(), values.detach(), options_.gamma(),
                                        options_.lambda());
    returns = advantages + values.detach();
    if (options_.normalize_advantages() && advantages.numel() > 1)
      advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8);
  }
  const auto policy = -(episode_log_probs(trajectory) * advantages).mean();
  const auto value_loss = clipped_value_loss(values, values, returns, 0);
  const auto entropy = mean_entropy(trajectory);
  LossTerms terms;
  terms.loss = policy + options_.value_coef() * value_loss - options_.entropy_coef() * entropy;
  terms.terms = {{"policy", policy.detach()},
                 {"value", value_loss.detach()},
                 {"entropy", entropy.detach()},
                 {"explained_variance", torch::tensor(explained_variance(values.detach(), returns))}};
  return terms;
}

// PPO and A2C: one critic, two ways of stepping on it.
void register_ppo_learners(LearnerRegistry& registry) {
  registry.add("ppo", [](const ConfigSection& s, const EnvSpec& spec) -> std::shared_ptr<Learner> {
    return std::make_shared<PpoLearner>(PpoOptions::from_config(s), spec);
  }, "PPO: clipped surrogate, GAE critic, epochs x minibatches per rollout buffer", &ppo_keys());
  registry.add("a2c", [](const ConfigSection& s, const EnvSpec& spec) -> std::shared_ptr<Learner> {
    auto learner = std::make_shared<A2cLearner>(ActorCriticOptions::from_config(s), spec);
    require_reward_use(spec, "a2c", learner->reward_use());
    return learner;
  }, "advantage actor-critic: GAE critic, one step per rollout", &a2c_keys());
}

}  // namespace hashrl
