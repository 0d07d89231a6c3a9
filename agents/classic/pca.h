#pragma once
// Principal component analysis, shared by ITQ and spectral hashing.
#include <torch/types.h>

namespace hashrl {

struct Pca {
  torch::Tensor mean;        // [D]
  torch::Tensor components;  // [D, r]: the top r eigenvectors of the covariance, largest first
};

// The top r principal directions of x [N, D] (computed in float64). Throws when r > D.
Pca fit_pca(const torch::Tensor& x, int64_t r);

// A generator for a hasher's own draws, so that a fit depends on its seed alone.
torch::Generator seeded_generator(uint64_t seed);

}  // namespace hashrl
