#include "target_code_env.h"

#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/common/run_seed.h"
#include "hashrl/envs/env_registry.h"

namespace hashrl::test {

TargetCodeEnv::TargetCodeEnv(TargetCodeOptions options, torch::Tensor features)
    : options_(options), features_(features.to(torch::kFloat32)),
      generator_(at::detail::createCPUGenerator(options.seed)) {
  if (options.code_length % options.group_size != 0)
    fail("TargetCode-v0: code_length {} is not a multiple of group_size {}", options.code_length, options.group_size);
  spec_.name = "TargetCode-v0";
  spec_.code_length = options.code_length;
  spec_.group_size = options.group_size;
  spec_.batch_size = options.batch_size * options.samples_per_state;
  spec_.samples_per_state = options.samples_per_state;
  spec_.rows_per_episode = 1;
  spec_.feature_dim = features_.size(1);
  spec_.reward_terms = {RewardTerm::kGroup};
  if (options.pays_global) spec_.reward_terms.push_back(RewardTerm::kGlobal);
  projection_ = at::randn({spec_.feature_dim, spec_.code_length}, generator_, torch::kFloat32);
}

std::pair<Observation, Info> TargetCodeEnv::reset(std::optional<uint64_t> seed) {
  if (seed) generator_ = at::detail::createCPUGenerator(*seed);
  const auto rows = at::randint(features_.size(0), {options_.batch_size}, generator_, torch::kLong)
                        .repeat_interleave(options_.samples_per_state);
  observed_ = features_.index_select(0, rows);
  target_ = observed_.matmul(projection_).gt(0).to(torch::kFloat32);
  bits_ = torch::zeros({spec_.batch_size, spec_.code_length});
  probs_.clear();
  step_ = 0;
  return {Observation{observed_, bits_, 0}, Info{{"rows", rows}}};
}

StepResult TargetCodeEnv::step(const Action& action) {
  if (step_ < 0 || step_ >= spec_.num_steps()) fail("TargetCode-v0: step without an episode; call reset()");
  const auto wrong = spec_.action_space().mismatch(action.bits);
  if (!wrong.empty()) fail("TargetCode-v0: action.bits: {}", wrong);
  const int64_t k = spec_.group_size, begin = step_ * k;
  const auto target = target_.slice(1, begin, begin + k);
  bits_ = with_group_bits(bits_, action.bits, step_);
  probs_.push_back(action.probs);
  ++step_;
  const bool last = step_ == spec_.num_steps();

  StepResult result;
  result.observation = Observation{observed_, bits_, step_};
  result.group_reward = 1 - (action.bits.detach() - target).abs().mean(1);
  result.global_reward = last && options_.pays_global ? -(torch::cat(probs_, 1) - target_).pow(2).mean(1)
                                                      : torch::zeros({spec_.batch_size});
  result.reward = result.group_reward + result.global_reward;
  result.terminated = torch::full({spec_.batch_size}, last, torch::kBool);
  result.truncated = torch::zeros({spec_.batch_size}, torch::kBool);
  return result;
}

void register_target_code_env() {
  static const bool registered = [] {
    env_registry().add("TargetCode-v0", [](const Config& config, const LoadedData& data) -> std::unique_ptr<Env> {
      TargetCodeOptions o;
      o.code_length = config.get_int("env.code_length", o.code_length, 1, 64);
      o.group_size = config.get_int("env.group_size", o.group_size, 1, o.code_length);
      o.batch_size = config.get_int("env.batch_size", o.batch_size, 1, 4096);
      o.pays_global = config.get_bool("env.pays_global", true);
      o.samples_per_state = config.get_int("env.samples_per_state", 1, 1, 64);
      o.seed = run_seed(config);
      const auto train = data.data.subset(data.split.train);
      if (train.has_images()) fail("TargetCode-v0 needs feature vectors ([data] kind = synthetic or npy)");
      return std::make_unique<TargetCodeEnv>(o, train.features);
    }, "tests: match a hidden target code (proves the generic path)");
    return true;
  }();
  (void)registered;
}

}  // namespace hashrl::test
