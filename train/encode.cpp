#include "hashrl/train/encode.h"

#include <torch/torch.h>

#include "hashrl/common/batches.h"

namespace hashrl {
namespace {

torch::Tensor observe_batch(Env& env, const Dataset& data, const torch::Tensor& indices) {
  const auto& items = data.items();
  return env.observe_features(items.index_select(0, indices));
}

}  // namespace

torch::Tensor encode_features(Env& env, const Dataset& data, const torch::Tensor& indices, int64_t batch_size,
                              const std::string& label) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> batches;
  for_each_batch(indices.size(0), batch_size, label, "img", [&](int64_t begin, int64_t end) {
    batches.push_back(observe_batch(env, data, indices.slice(0, begin, end)));
  });
  return torch::cat(batches);
}

torch::Tensor greedy_codes(Agent& agent, const EnvSpec& spec, const torch::Tensor& features) {
  torch::NoGradGuard no_grad;
  Observation obs;
  obs.features = features;
  obs.bits = torch::zeros({features.size(0), spec.code_length}, features.options());
  auto state = agent.initial_state(obs);
  for (int64_t t = 0; t < spec.num_steps(); ++t) {
    auto [step, next] = agent.act(obs, state, ActMode::kGreedy);
    obs.bits = with_group_bits(obs.bits, step.action.bits, t);
    obs.step = t + 1;
    state = std::move(next);
  }
  return obs.bits;
}

torch::Tensor encode_codes(Env& env, Agent& agent, const Dataset& data, const torch::Tensor& indices,
                           int64_t batch_size, const std::string& label) {
  const EnvSpec& spec = env.spec();
  const int64_t n = indices.size(0);
  auto codes = torch::empty({n, spec.code_length}, torch::kUInt8);
  EvalModeGuard eval_mode(agent.module());
  torch::NoGradGuard no_grad;
  for_each_batch(n, batch_size, label, "img", [&](int64_t begin, int64_t end) {
    const auto features = observe_batch(env, data, indices.slice(0, begin, end));
    codes.slice(0, begin, end).copy_(greedy_codes(agent, spec, features).to(torch::kCPU, torch::kUInt8));
  });
  return codes;
}

}  // namespace hashrl
