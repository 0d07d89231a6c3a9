#include "hashrl/env/env.h"

#include <torch/torch.h>

namespace hashrl {

bool StepResult::done() const { return terminated.logical_or(truncated).all().item<bool>(); }

torch::Tensor with_group_bits(const torch::Tensor& bits, const torch::Tensor& group, int64_t step) {
  const int64_t k = group.size(1);
  auto out = bits.detach().clone();
  out.slice(1, step * k, (step + 1) * k).copy_(group.detach());
  return out;
}

}  // namespace hashrl
