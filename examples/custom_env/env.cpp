// A custom env, written against hashrl's installed headers and registered by name when this
// file's library loads: linked into a program (main.cpp) or loaded as a plugin by the stock tool,
//   hashrl --plugin ./libclass_code.so train --config my.ini --set env.kind=ClassCode-v0
// Every stock agent and learner that can learn from its reward then trains on it. docs/mdp.md
// has the contract; docs/extending.md, "An env", the steps.
//
// ClassCode-v0: each of B one-row episodes observes one feature vector of the training split.
// Every class has a random q-bit code, drawn once from train.seed; an item's answer is its class's
// code (its first label's, on multi-label data). The group reward is the fraction of the step's
// k bits that match the answer; the global reward, on the last step, is 1 when the whole code is
// nearer (in Hamming distance) to its own class's code than to any other class's, else 0. Both
// read the sampled bits only: a score-function learner (reinforce with pathwise = none, a2c, ppo,
// group-relative) can learn from it, a pathwise one refuses it when it is built. Codes that
// decode to their class are exactly what retrieval by Hamming distance rewards, so the trainer's
// MAP rises with the reward.
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/common/run_seed.h"
#include "hashrl/envs/env_registry.h"

namespace {

constexpr const char* kName = "ClassCode-v0";

// Its own [env] keys, declared once: read with these defaults and ranges, listed by `hashrl list`
// and docs/config.md, and the config check knows them.
hashrl::KeyTable keys;
const auto kCodeLength = keys.integer("code_length", 16, 1, hashrl::kMaxCodeLength, "q, bits per code");
const auto kGroupSize = keys.integer("group_size", 4, 1, hashrl::kMaxCodeLength, "k, bits per step; q must be a multiple");
const auto kBatchSize = keys.integer("batch_size", 32, 1, 4096, "rows drawn per reset, one episode each");

class ClassCodeEnv : public hashrl::Env {
 public:
  // `features` float [N, D] and `labels` multi-hot [N, L] of the training split.
  ClassCodeEnv(int64_t code_length, int64_t group_size, int64_t batch_size, torch::Tensor features,
               const torch::Tensor& labels, uint64_t seed)
      : features_(features.to(torch::kFloat32)), classes_(labels.to(torch::kFloat32).argmax(1)),
        generator_(at::detail::createCPUGenerator(seed)) {
    if (code_length % group_size != 0)
      hashrl::fail("{}: env.code_length {} is not a multiple of env.group_size {}", kName, code_length, group_size);
    spec_.name = kName;
    spec_.code_length = code_length;
    spec_.group_size = group_size;
    spec_.batch_size = batch_size;
    spec_.rows_per_episode = 1;
    spec_.feature_dim = features_.size(1);
    spec_.reward_terms = {hashrl::RewardTerm::kGroup, hashrl::RewardTerm::kGlobal};
    // What the reward reads, declared before any episode: the learners check it (docs/mdp.md).
    spec_.reward_dependence = {/*on_action=*/true, /*differentiable=*/false, "ClassCode-v0 rewards the sampled bits"};
    class_codes_ = at::bernoulli(torch::full({labels.size(1), code_length}, 0.5), generator_);
  }

  const hashrl::EnvSpec& spec() const override { return spec_; }

  std::pair<hashrl::Observation, hashrl::Info> reset(std::optional<uint64_t> seed) override {
    if (seed) generator_ = at::detail::createCPUGenerator(*seed);  // reset(seed) fixes the episode
    const auto rows = at::randint(features_.size(0), {spec_.batch_size}, generator_, torch::kLong);
    observed_ = features_.index_select(0, rows);
    classes_now_ = classes_.index_select(0, rows);
    bits_ = torch::zeros({spec_.batch_size, spec_.code_length});
    step_ = 0;
    return {hashrl::Observation{observed_, bits_, 0}, hashrl::Info{{"rows", rows}}};
  }

  hashrl::StepResult step(const hashrl::Action& action) override {
    if (step_ < 0 || step_ >= spec_.num_steps()) hashrl::fail("{}: step without an episode; call reset()", kName);
    const auto wrong = spec_.action_space().mismatch(action.bits);
    if (!wrong.empty()) hashrl::fail("{}: action.bits: {}", kName, wrong);
    const int64_t k = spec_.group_size;
    const auto answer = class_codes_.index_select(0, classes_now_);  // [B, q]
    const auto bits = action.bits.detach();
    bits_ = hashrl::with_group_bits(bits_, bits, step_);  // the one rule by which bits advance
    const auto group_answer = answer.slice(1, step_ * k, step_ * k + k);
    ++step_;
    const bool last = step_ == spec_.num_steps();

    hashrl::StepResult result;
    result.observation = hashrl::Observation{observed_, bits_, step_};
    result.group_reward = 1 - (bits - group_answer).abs().mean(1);
    result.global_reward = torch::zeros({spec_.batch_size});
    if (last) {
      // Hamming distance of each code to every class's code [B, C]; 1 where its own class is nearest.
      const auto distances = torch::cdist(bits_, class_codes_, /*p=*/1);
      const auto own = distances.gather(1, classes_now_.unsqueeze(1));
      const auto others = distances.scatter(1, classes_now_.unsqueeze(1), spec_.code_length + 1.0);
      result.global_reward = own.squeeze(1).lt(std::get<0>(others.min(1))).to(torch::kFloat32);
    }
    result.reward = result.group_reward + result.global_reward;
    result.terminated = torch::full({spec_.batch_size}, last, torch::kBool);
    result.truncated = torch::zeros({spec_.batch_size}, torch::kBool);
    return result;
  }

  // What an agent sees of items it encodes for retrieval: the feature vectors as they are.
  torch::Tensor observe_features(const torch::Tensor& items) override { return items.to(torch::kFloat32); }

 private:
  hashrl::EnvSpec spec_;
  torch::Tensor features_, classes_;  // [N, D], [N]
  at::Generator generator_;
  torch::Tensor class_codes_;                     // [C, q]
  torch::Tensor observed_, classes_now_, bits_;  // this episode's [B, D], [B], [B, q]
  int64_t step_ = -1;                             // -1 before the first reset
};

// One registration makes the env available to every config: [env] kind = ClassCode-v0.
const bool kRegistered = [] {
  hashrl::env_registry().add(kName, [](const hashrl::Config& config, const hashrl::LoadedData& data)
                                        -> std::unique_ptr<hashrl::Env> {
    const hashrl::ConfigSection env(config, "env");
    const auto train = data.data.subset(data.split.train);
    if (train.has_images()) hashrl::fail("{} needs feature vectors: [data] kind = synthetic or npy", kName);
    return std::make_unique<ClassCodeEnv>(kCodeLength(env), kGroupSize(env), kBatchSize(env), train.features,
                                          train.labels, hashrl::run_seed(config));  // [train] seed, as every env
  }, "each item's class code, from the reward of its bits (examples/custom_env)", &keys);
  return true;
}();

}  // namespace
