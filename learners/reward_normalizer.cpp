#include "hashrl/learners/reward_normalizer.h"

#include <torch/torch.h>

#include <cmath>

namespace hashrl {

RewardNormalizer::RewardNormalizer(std::shared_ptr<Learner> inner) : inner_(std::move(inner)) {}

double RewardNormalizer::scale() const {
  if (count_ < 2) return 1.0;
  return 1.0 / (std::sqrt(m2_ / count_) + 1e-8);
}

Trajectory RewardNormalizer::scaled(const Trajectory& trajectory) const {
  const double s = scale();
  Trajectory out = trajectory;
  for (auto* terms : {&out.rewards, &out.group_rewards, &out.global_rewards})
    for (auto& r : *terms) r = r * s;
  return out;
}

UpdateResult RewardNormalizer::update(const std::vector<Trajectory>& buffer, UpdateContext& context) {
  for (const auto& trajectory : buffer) {
    const auto returns = trajectory.total_reward().detach().to(torch::kFloat64).cpu();
    const auto* r = returns.data_ptr<double>();
    for (int64_t i = 0; i < returns.numel(); ++i) {
      count_ += 1;
      const double delta = r[i] - mean_;
      mean_ += delta / count_;
      m2_ += delta * (r[i] - mean_);
    }
  }
  std::vector<Trajectory> normalized;
  for (const auto& trajectory : buffer) normalized.push_back(scaled(trajectory));
  auto result = inner_->update(normalized, context);
  result.terms["reward_scale"] = scale();
  return result;
}

void RewardNormalizer::save(torch::serialize::OutputArchive& archive) {
  inner_->save(archive);
  archive.write("reward_normalizer", torch::tensor({count_, mean_, m2_}, torch::kFloat64));
}

void RewardNormalizer::load(torch::serialize::InputArchive& archive) {
  inner_->load(archive);
  torch::Tensor moments;
  archive.read("reward_normalizer", moments);
  count_ = moments[0].item<double>(), mean_ = moments[1].item<double>(), m2_ = moments[2].item<double>();
}

}  // namespace hashrl
