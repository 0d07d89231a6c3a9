// `sum`: a weighted sum of named rewards, each configured in its own sub-section:
//   [reward]                     [reward.quantization]
//   kind = sum                   weight = 0.1
//   terms = triplet, quantization
// A term's kind defaults to its name, so two differently configured triplet terms can be had
// with `terms = fine, coarse` and `kind = triplet` in each sub-section.
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/rewards/reward_factories.h"

namespace hashrl {
namespace {

class SumReward : public Reward {
 public:
  explicit SumReward(const ConfigSection& section) {
    const auto names = section.get_list("terms", {});
    if (names.empty()) fail("config key '{}': a sum reward needs at least one term", section.key("terms"));
    for (const auto& name : names) {
      const auto term = section.sub(name);
      const double weight = term.get_double("weight", 1.0);
      const std::string kind = term.get_string("kind", name);
      if (kind == "sum") fail("config key '{}': sum rewards do not nest", term.key("kind"));
      terms_.push_back({weight, reward_registry().create(kind, term)});
    }
  }

  torch::Tensor group_reward(const RewardInput& input) const override {
    return combine([&](const Reward& r) { return r.group_reward(input); });
  }
  torch::Tensor global_reward(const RewardInput& input) const override {
    return combine([&](const Reward& r) { return r.global_reward(input); });
  }

 private:
  template <typename Fn>
  torch::Tensor combine(Fn&& reward_of) const {
    torch::Tensor total;
    for (const auto& [weight, reward] : terms_) {
      const auto value = weight * reward_of(*reward);
      total = total.defined() ? total + value : value;
    }
    return total;
  }

  std::vector<std::pair<double, std::shared_ptr<Reward>>> terms_;
};

}  // namespace

std::shared_ptr<Reward> make_sum_reward(const ConfigSection& section) {
  return std::make_shared<SumReward>(section);
}

}  // namespace hashrl
