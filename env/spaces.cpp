#include "hashrl/env/spaces.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <algorithm>

namespace hashrl {

std::string Box::mismatch(const torch::Tensor& t) const {
  if (!t.defined()) return "undefined tensor";
  if (t.sizes().vec() != shape) return fmt::format("shape {} != {}", t.sizes(), shape);
  if (t.scalar_type() != dtype)
    return fmt::format("dtype {} != {}", c10::toString(t.scalar_type()), c10::toString(dtype));
  if (t.device() != device) return fmt::format("device {} != {}", t.device().str(), device.str());
  return "";
}

std::string Box::check_values(const torch::Tensor& t) const {
  const std::string wrong = mismatch(t);
  if (!wrong.empty() || t.numel() == 0) return wrong;
  const auto values = t.detach().to(torch::kFloat64);
  if (!torch::isfinite(values).all().item<bool>()) return "values that are not finite (NaN or inf)";
  const double lo = values.min().item<double>(), hi = values.max().item<double>();
  if (lo < low || hi > high) return fmt::format("values in [{}, {}] outside [{}, {}]", lo, hi, low, high);
  return "";
}

std::string Box::describe() const {
  return fmt::format("Box({}, {}, {}, [{}, {}])", shape, c10::toString(dtype), device.str(), low, high);
}

std::string MultiBinary::check_bits(const torch::Tensor& t) const {
  const std::string wrong = check_values(t);
  if (!wrong.empty() || t.numel() == 0) return wrong;
  if (!(t == 0).logical_or(t == 1).all().item<bool>()) return "values other than 0 and 1";
  return "";
}

MultiBinary::MultiBinary(int64_t rows, int64_t n, torch::Device d) {
  shape = {rows, n};
  dtype = torch::kFloat32;
  device = d;
  low = 0;
  high = 1;
}

std::string to_string(RewardTerm term) { return term == RewardTerm::kGroup ? "group" : "global"; }

bool EnvSpec::pays(RewardTerm term) const {
  return std::find(reward_terms.begin(), reward_terms.end(), term) != reward_terms.end();
}

MultiBinary EnvSpec::action_space() const { return MultiBinary(num_rows(), group_size, device); }

std::map<std::string, Box> EnvSpec::observation_space() const {
  Box features{{num_rows(), feature_dim}, torch::kFloat32, device};
  // The index of the next action group: a scalar from 0 (after reset) to num_steps (after the last).
  Box step{{}, torch::kInt64, torch::kCPU, 0, static_cast<double>(num_steps())};
  return {{"features", features}, {"bits", MultiBinary(num_rows(), code_length, device)}, {"step", step}};
}

std::string EnvSpec::describe() const {
  std::vector<std::string> terms;
  for (const auto term : reward_terms) terms.push_back(to_string(term));
  std::string out = fmt::format(
      "{}: q = {} bits in {} steps of k = {}; {} episodes of {} rows ({} rows); rewards: {}; device {}\n",
      name, code_length, num_steps(), group_size, batch_size, rows_per_episode, num_rows(),
      fmt::join(terms, " + "), device.str());
  if (samples_per_state > 1)
    out += fmt::format("  episodes in groups of {} from the same state\n", samples_per_state);
  out += fmt::format("  reward: {} the action, {}{}\n", reward_dependence.on_action ? "depends on" : "does not depend on",
                     reward_dependence.differentiable ? "differentiable" : "not differentiable",
                     reward_dependence.setting.empty() ? "" : " (" + reward_dependence.setting + ")");
  out += fmt::format("  action: MultiBinary {}\n", action_space().describe());
  for (const auto& [name, box] : observation_space()) out += fmt::format("  observation.{}: {}\n", name, box.describe());
  return out;
}

}  // namespace hashrl
