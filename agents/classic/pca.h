#pragma once
// What the classic hashers share: principal component analysis (ITQ, spectral hashing), signs
// of real codes, and seeded draws.
#include <torch/types.h>

namespace hashrl {

struct Pca {
  torch::Tensor mean;        // [D]
  torch::Tensor components;  // [D, r]: the top r eigenvectors of the covariance, largest first
};

// The top r principal directions of x [N, D] (computed in float64). Throws when r > D.
Pca fit_pca(const torch::Tensor& x, int64_t r);

// +1 where x >= 0, else -1, in x's dtype: binary codes in {-1, 1} (ITQ, SDH).
torch::Tensor signs(const torch::Tensor& x);

// A generator for a hasher's own draws, so that a fit depends on its seed alone.
torch::Generator seeded_generator(uint64_t seed);

}  // namespace hashrl
