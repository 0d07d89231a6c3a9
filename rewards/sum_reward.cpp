// `sum`: a weighted sum of named rewards, each configured in its own sub-section:
//   [reward]                     [reward.quantization]
//   kind = sum                   weight = 0.1
//   terms = triplet, quantization
// A term's kind defaults to its name, so two differently configured triplet terms can be had
// with `terms = fine, coarse` and `kind = triplet` in each sub-section.
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/rewards/reward.h"

namespace hashrl {
namespace {

KeyTable keys;
const auto kTerms = keys.list("terms", {}, "the terms' names; each is configured in [reward.NAME]");
KeyTable term_keys;  // of each term's sub-section [reward.NAME]
const auto kTermWeight = term_keys.real("weight", 1.0, -1e308, 1e308, "the term's weight");
const auto kTermKind = term_keys.name_of("kind", "", "a reward, not sum", "the term's reward", "NAME");

class SumReward : public Reward {
 public:
  explicit SumReward(const ConfigSection& section) {
    const auto names = kTerms(section);
    if (names.empty()) fail("config key '{}': a sum reward needs at least one term", section.key("terms"));
    for (const auto& name : names) {
      const auto term = section.sub(name);
      const auto kind = kTermKind.with_fallback(name);
      if (kind(term) == "sum") fail("config key '{}': sum rewards do not nest", term.key("kind"));
      terms_.push_back({kTermWeight(term), reward_registry().create(kind, term, term)});
    }
  }

  torch::Tensor group_reward(const RewardInput& input) const override {
    return combine([&](const Reward& r) { return r.group_reward(input); });
  }
  torch::Tensor global_reward(const RewardInput& input) const override {
    return combine([&](const Reward& r) { return r.global_reward(input); });
  }
  bool relational() const override {
    for (const auto& term : terms_)
      if (!term.second->relational()) return false;
    return true;
  }
  RewardReads reads() const override {
    RewardReads all{false, false, ""};
    for (const auto& term : terms_) {
      const auto reads = term.second->reads();
      all.bits = all.bits || reads.bits;
      all.probs = all.probs || reads.probs;
      if (!reads.setting.empty()) all.setting += (all.setting.empty() ? "" : ", ") + reads.setting;
    }
    return all;
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

void register_sum_reward(RewardRegistry& registry) {
  static const KeyTable table = [] {
    KeyTable t = keys;
    t.append(term_keys, "NAME.");
    return t;
  }();
  registry.add("sum", [](const ConfigSection& s) { return std::make_shared<SumReward>(s); },
               "weighted sum of named rewards", &table);
}

}  // namespace hashrl
