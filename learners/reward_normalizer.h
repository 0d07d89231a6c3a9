#pragma once
// `[learner] normalize_rewards = true`, an option of every learner: the rewards a learner is handed
// are divided by a running standard deviation of the episode return (over every episode seen so
// far, Welford's update), as Stable-Baselines3's VecNormalize scales rewards. Not centred: a
// reward's sign and its zero keep their meaning, and a group-relative or batch-mean baseline
// removes the mean anyway. It wraps the learner (make_learner does it), so every learner gets it
// unchanged; its statistics are saved in the checkpoint beside the learner's own state, and
// `reward_scale` (1 / (std + 1e-8)) is logged. What the trainer logs as `reward` stays the env's.
#include <memory>

#include "hashrl/learners/learner.h"

namespace hashrl {

class RewardNormalizer : public Learner {
 public:
  explicit RewardNormalizer(std::shared_ptr<Learner> inner);

  int64_t episodes_per_update() const override { return inner_->episodes_per_update(); }
  // Updates the statistics with the buffer's returns, then hands the inner learner the buffer with
  // every reward term scaled.
  UpdateResult update(const std::vector<Trajectory>& buffer, UpdateContext& context) override;
  LossTerms loss(const Trajectory& trajectory) override { return inner_->loss(scaled(trajectory)); }
  torch::nn::Module* module() override { return inner_->module(); }
  RewardUse reward_use() const override { return inner_->reward_use(); }
  void save(torch::serialize::OutputArchive& archive) override;
  void load(torch::serialize::InputArchive& archive) override;

  // The current scale, 1 / (std + 1e-8); 1 before any episode.
  double scale() const;
  // `trajectory` with its rewards, group rewards and global rewards multiplied by scale().
  Trajectory scaled(const Trajectory& trajectory) const;

 private:
  std::shared_ptr<Learner> inner_;
  double count_ = 0, mean_ = 0, m2_ = 0;  // Welford's running moments of the episode return
};

}  // namespace hashrl
