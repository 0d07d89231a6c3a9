// A quantization reward: relaxed codes near 0.5 lose information when thresholded, so each
// image's probabilities are penalised by 4 p (1 - p) (0 at 0 and 1, 1 at 0.5), averaged over the
// bits and the triplet's three images: R in [-1, 0]. Useful beside `triplet` in a `sum`. On bits
// it is 0 whatever they are: it never depends on the action, only its gradient teaches.
#include <torch/torch.h>

#include "hashrl/rewards/code_reward.h"

namespace hashrl {
namespace {

class QuantizationReward : public CodeReward {
 public:
  using CodeReward::CodeReward;

  RewardReads reads() const override {
    auto reads = CodeReward::reads();
    reads.bits = false;  // 4 b (1 - b) is 0 for every bit
    return reads;
  }

  torch::Tensor score(const torch::Tensor& codes) const override {
    const auto per_image = (4.0 * codes * (1.0 - codes)).mean(1);
    const auto t = split_triplets(per_image.unsqueeze(1));
    return -(t.anchor + t.positive + t.negative).squeeze(1) / 3.0;
  }
};

}  // namespace

void register_quantization_reward(RewardRegistry& registry) {
  static const KeyTable table = with_code_reward_keys(KeyTable());
  registry.add("quantization", [](const ConfigSection& s) { return std::make_shared<QuantizationReward>(s); },
               "penalises relaxed codes far from 0 and 1", &table);
}

}  // namespace hashrl
