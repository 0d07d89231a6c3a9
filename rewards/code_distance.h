#pragma once
// The squared Euclidean distance between (relaxed) codes, ||b_i - b_j||^2 of eq. 3: rewards score
// triplets with it and miners rank candidates by it, so that both measure the same thing.
#include <torch/types.h>

namespace hashrl {

// Row by row: [N, m] and [N, m] -> [N].
torch::Tensor squared_distance(const torch::Tensor& a, const torch::Tensor& b);

// Every pair: [N, m] and [M, m] -> [N, M].
torch::Tensor pairwise_squared_distance(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace hashrl
