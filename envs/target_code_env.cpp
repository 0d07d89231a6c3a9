#include "hashrl/envs/target_code_env.h"

#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/common/run_seed.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/envs/hash_env.h"  // kMaxBatchSize: the same bound on episodes side by side

namespace hashrl {

namespace {

const TargetCodeEnvOptions kDefaults;
KeyTable own_keys;
const auto kCodeLength =
    own_keys.integer("code_length", kDefaults.code_length(), 1, kMaxCodeLength, "q, bits per code");
const auto kGroupSize = own_keys.integer("group_size", kDefaults.group_size(), 1, kMaxCodeLength,
                                         "k, bits per action group (per step); q must be a multiple");
const auto kBatchSize =
    own_keys.integer("batch_size", kDefaults.batch_size(), 1, kMaxBatchSize, "rows drawn per reset, one episode each");
const auto kPaysGlobal = own_keys.flag("pays_global", kDefaults.pays_global(),
                                       "pay the global reward of the relaxed code on the last step");
const auto kSamplesPerState = own_keys.integer("samples_per_state", kDefaults.samples_per_state(), 1, kMaxBatchSize,
                                               "K: episodes run from each drawn row (batch_size x K in all)");

}  // namespace

void TargetCodeEnvOptions::validate() const {
  if (code_length() < 1 || group_size() < 1 || batch_size() < 1 || samples_per_state() < 1)
    fail("{}: code_length {}, group_size {}, batch_size {} and samples_per_state {} must be at least 1",
         kTargetCodeEnvName, code_length(), group_size(), batch_size(), samples_per_state());
  if (code_length() % group_size() != 0)
    fail("{}: code_length {} is not a multiple of group_size {}", kTargetCodeEnvName, code_length(), group_size());
}

TargetCodeEnv::TargetCodeEnv(TargetCodeEnvOptions options, torch::Tensor features)
    : options_(options), features_(features.to(torch::kFloat32)),
      generator_(at::detail::createCPUGenerator(options.seed())) {
  options_.validate();
  if (features_.dim() != 2 || features_.size(0) == 0)
    fail("{}: needs feature vectors [N, D] with N >= 1, got a tensor of {} dimensions and {} rows", kTargetCodeEnvName,
         features_.dim(), features_.dim() ? features_.size(0) : 0);
  spec_.name = kTargetCodeEnvName;
  spec_.code_length = options_.code_length();
  spec_.group_size = options_.group_size();
  spec_.batch_size = options_.batch_size() * options_.samples_per_state();
  spec_.samples_per_state = options_.samples_per_state();
  spec_.rows_per_episode = 1;
  spec_.feature_dim = features_.size(1);
  spec_.reward_terms = {RewardTerm::kGroup};
  if (options_.pays_global()) spec_.reward_terms.push_back(RewardTerm::kGlobal);
  // The group reward reads the sampled bits; only the global one carries the probabilities' gradient.
  spec_.reward_dependence = {true, options_.pays_global(), "env.pays_global"};
  projection_ = at::randn({spec_.feature_dim, spec_.code_length}, generator_, torch::kFloat32);
}

std::pair<Observation, Info> TargetCodeEnv::reset(std::optional<uint64_t> seed) {
  if (seed) generator_ = at::detail::createCPUGenerator(*seed);
  const auto rows = at::randint(features_.size(0), {options_.batch_size()}, generator_, torch::kLong)
                        .repeat_interleave(options_.samples_per_state());
  observed_ = features_.index_select(0, rows);
  target_ = observed_.matmul(projection_).gt(0).to(torch::kFloat32);
  bits_ = torch::zeros({spec_.batch_size, spec_.code_length});
  probs_.clear();
  step_ = 0;
  return {Observation{observed_, bits_, 0}, Info{{"rows", rows}}};
}

StepResult TargetCodeEnv::step(const Action& action) {
  if (step_ < 0 || step_ >= spec_.num_steps()) fail("{}: step without an episode; call reset()", kTargetCodeEnvName);
  const auto wrong = spec_.action_space().mismatch(action.bits);
  if (!wrong.empty()) fail("{}: action.bits: {}", kTargetCodeEnvName, wrong);
  const int64_t k = spec_.group_size, begin = step_ * k;
  const auto target = target_.slice(1, begin, begin + k);
  bits_ = with_group_bits(bits_, action.bits, step_);
  probs_.push_back(action.probs);
  ++step_;
  const bool last = step_ == spec_.num_steps();

  StepResult result;
  result.observation = Observation{observed_, bits_, step_};
  result.group_reward = 1 - (action.bits.detach() - target).abs().mean(1);
  result.global_reward = last && options_.pays_global() ? -(torch::cat(probs_, 1) - target_).pow(2).mean(1)
                                                        : torch::zeros({spec_.batch_size});
  result.reward = result.group_reward + result.global_reward;
  result.terminated = torch::full({spec_.batch_size}, last, torch::kBool);
  result.truncated = torch::zeros({spec_.batch_size}, torch::kBool);
  return result;
}

void register_target_code_env(EnvRegistry& registry) {
  registry.add(kTargetCodeEnvName, [](const Config& config, const LoadedData& data) -> std::unique_ptr<Env> {
    const ConfigSection s(config, "env");
    const auto options = TargetCodeEnvOptions()
                             .code_length(kCodeLength(s))
                             .group_size(kGroupSize(s))
                             .batch_size(kBatchSize(s))
                             .pays_global(kPaysGlobal(s))
                             .samples_per_state(kSamplesPerState(s))
                             .seed(run_seed(config));  // [train] seed, as every env reads it
    const auto train = data.data.subset(data.split.train);
    if (train.has_images())
      fail("{} needs feature vectors, and [data] kind = {} holds images: use kind = synthetic or npy",
           kTargetCodeEnvName, train.name);
    return std::make_unique<TargetCodeEnv>(options, train.features);
  }, "a toy: match each feature vector's hidden random-projection code (trains in seconds)", &own_keys);
}

}  // namespace hashrl
