#include "hashrl/learners/reward_signal.h"

#include <torch/torch.h>

namespace hashrl {

torch::Tensor reward_signal(Signal signal, const torch::Tensor& group, const torch::Tensor& global) {
  const auto g = group.detach(), G = global.detach();
  switch (signal) {
    case Signal::kGroup: return g;
    case Signal::kTotal: return g + G;
    case Signal::kRewardToGo: return (g + G).flip(0).cumsum(0).flip(0);
    case Signal::kGroupGlobal: return g + G.sum(0, true);
  }
  return g;  // unreachable: every Signal is handled above
}

}  // namespace hashrl
