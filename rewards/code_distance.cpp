#include "hashrl/rewards/code_distance.h"

#include <torch/torch.h>

namespace hashrl {

torch::Tensor squared_distance(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).pow(2).sum(1); }

torch::Tensor pairwise_squared_distance(const torch::Tensor& a, const torch::Tensor& b) {
  return torch::cdist(a, b).pow(2);
}

}  // namespace hashrl
