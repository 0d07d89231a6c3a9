#include "hashrl/learners/actor_critic.h"

#include <torch/torch.h>

#include "hashrl/common/error.h"

namespace hashrl {

namespace {

const ActorCriticOptions kDefaults;
KeyTable keys;
const auto kGamma = keys.real("gamma", kDefaults.gamma(), 0, 1, "discount per action group");
const auto kLambda = keys.real("lambda", kDefaults.lambda(), 0, 1,
                               "GAE's lambda: 1 is the return less the critic, 0 one-step TD");
const auto kCriticHidden = keys.integer("critic_hidden", kDefaults.critic_hidden(), 1, 16384,
                                        "hidden width of the critic (episode features, bits so far, step)");
const auto kValueCoef = keys.real("value_coef", kDefaults.value_coef(), 0, 1e308, "weight of the critic's loss");
const auto kEntropyCoef = keys.real("entropy_coef", kDefaults.entropy_coef(), 0, 1e308,
                                     "weight of the entropy bonus (an action group's entropy, mean per row and step)");
const auto kNormalize = keys.flag("normalize_advantages", kDefaults.normalize_advantages(),
                                  "standardise the advantages per minibatch");

}  // namespace

const KeyTable& actor_critic_keys() { return keys; }

ActorCriticOptions ActorCriticOptions::from_config(const ConfigSection& s) {
  ActorCriticOptions o;
  o.gamma(kGamma(s));
  o.lambda(kLambda(s));
  o.critic_hidden(kCriticHidden(s));
  o.value_coef(kValueCoef(s));
  o.entropy_coef(kEntropyCoef(s));
  o.normalize_advantages(kNormalize(s));
  o.validate();
  return o;
}

void ActorCriticOptions::validate() const {
  for (const auto& [name, value] : {std::pair{"gamma", gamma()}, std::pair{"lambda", lambda()}})
    if (!(value >= 0 && value <= 1)) fail("actor-critic option {} must be in [0, 1], got {}", name, value);
  for (const auto& [name, value] : {std::pair{"value_coef", value_coef()}, std::pair{"entropy_coef", entropy_coef()}})
    if (!(value >= 0)) fail("actor-critic option {} must be >= 0, got {}", name, value);
  if (critic_hidden() < 1 || critic_hidden() > 16384)
    fail("actor-critic option critic_hidden must be 1 to 16384, got {}", critic_hidden());
}

EpisodeCriticImpl::EpisodeCriticImpl(const EnvSpec& spec, int64_t hidden)
    : rows_per_episode_(spec.rows_per_episode), batch_size_(spec.batch_size), num_steps_(spec.num_steps()) {
  namespace nn = torch::nn;
  const int64_t inputs = spec.rows_per_episode * (spec.feature_dim + spec.code_length) + num_steps_;
  mlp_ = register_module("mlp", nn::Sequential(nn::Linear(inputs, hidden), nn::Tanh(), nn::Linear(hidden, 1)));
  to(spec.device);
}

torch::Tensor EpisodeCriticImpl::forward(const std::vector<Observation>& observations, const torch::Tensor& episodes) {
  if (static_cast<int64_t>(observations.size()) != num_steps_)
    fail("the critic needs the observation of each of the {} steps, got {}", num_steps_, observations.size());
  const auto device = observations.front().features.device();
  const auto chosen = episodes.defined() ? episodes : torch::arange(batch_size_, torch::dtype(torch::kLong).device(device));
  const auto rows = episode_rows(chosen, batch_size_, rows_per_episode_);
  const int64_t b = chosen.size(0);
  auto per_episode = [&](const torch::Tensor& t) {
    return episode_rows_side_by_side(t.index_select(0, rows), rows_per_episode_);
  };
  const auto features = per_episode(observations.front().features.detach());
  std::vector<torch::Tensor> values;
  for (int64_t t = 0; t < num_steps_; ++t) {
    const auto step = torch::one_hot(torch::full({b}, t, chosen.options()), num_steps_).to(features.scalar_type());
    values.push_back(mlp_->forward(torch::cat({features, per_episode(observations[t].bits.detach()), step}, 1)).squeeze(1));
  }
  return torch::stack(values);
}

torch::Tensor episode_rows(const torch::Tensor& episodes, int64_t batch_size, int64_t rows_per_episode) {
  std::vector<torch::Tensor> blocks;
  for (int64_t r = 0; r < rows_per_episode; ++r) blocks.push_back(episodes + r * batch_size);
  return torch::cat(blocks);
}

torch::Tensor generalized_advantages(const torch::Tensor& rewards, const torch::Tensor& values, double gamma,
                                     double lambda) {
  if (rewards.sizes() != values.sizes())
    fail("GAE needs rewards and values of one shape [T, B], got {} and {}", rewards.sizes(), values.sizes());
  const int64_t steps = rewards.size(0);
  auto advantages = torch::zeros_like(rewards);
  auto next_advantage = torch::zeros_like(rewards[0]);
  auto next_value = torch::zeros_like(values[0]);  // the episode ends after the last step
  for (int64_t t = steps - 1; t >= 0; --t) {
    const auto delta = rewards[t] + gamma * next_value - values[t];
    next_advantage = delta + gamma * lambda * next_advantage;
    advantages[t] = next_advantage;
    next_value = values[t];
  }
  return advantages;
}

ClippedPolicyLoss clipped_policy_loss(const torch::Tensor& new_log_prob, const torch::Tensor& old_log_prob,
                                      const torch::Tensor& advantages, double clip) {
  const auto log_ratio = new_log_prob - old_log_prob.detach();
  const auto ratio = log_ratio.exp();
  const auto adv = advantages.detach();
  const auto loss = -torch::min(ratio * adv, ratio.clamp(1 - clip, 1 + clip) * adv).mean();
  torch::NoGradGuard no_grad;
  return {loss, ((ratio - 1).abs() > clip).to(torch::kFloat32).mean(), ((ratio - 1) - log_ratio).mean()};
}

torch::Tensor clipped_value_loss(const torch::Tensor& values, const torch::Tensor& old_values,
                                 const torch::Tensor& returns, double clip) {
  const auto target = returns.detach();
  const auto plain = (values - target).pow(2);
  if (clip <= 0) return 0.5 * plain.mean();
  const auto old = old_values.detach();
  const auto clipped = (old + (values - old).clamp(-clip, clip) - target).pow(2);
  return 0.5 * torch::max(plain, clipped).mean();
}

double explained_variance(const torch::Tensor& values, const torch::Tensor& returns) {
  const double variance = returns.var().item<double>();
  if (!(variance > 0)) return 0;
  return 1 - (returns - values).var().item<double>() / variance;
}

}  // namespace hashrl
