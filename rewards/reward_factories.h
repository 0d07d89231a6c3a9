#pragma once
// Factories of the built-in rewards whose classes stay private to their files; reward.cpp
// registers them. Not part of the public API: use make_reward or reward_registry().
#include "hashrl/rewards/reward.h"

namespace hashrl {

std::shared_ptr<Reward> make_contrastive_reward(const ConfigSection& section);
std::shared_ptr<Reward> make_quantization_reward(const ConfigSection& section);
std::shared_ptr<Reward> make_sum_reward(const ConfigSection& section);
const KeyTable& contrastive_reward_keys();
const KeyTable& sum_reward_keys();

}  // namespace hashrl
