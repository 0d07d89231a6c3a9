#include "hashrl/agents/classic/pca.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "hashrl/common/error.h"

namespace hashrl {

Pca fit_pca(const torch::Tensor& x, int64_t r) {
  const int64_t n = x.size(0), d = x.size(1);
  if (r > d) fail("PCA: {} components asked of {}-dimensional features", r, d);
  if (n < 2) fail("PCA: needs at least 2 training items, got {}", n);
  const auto x64 = x.to(torch::kFloat64);
  const auto mean = x64.mean(0);
  const auto centred = x64 - mean;
  const auto covariance = centred.t().mm(centred) / static_cast<double>(n - 1);
  // eigh returns eigenvalues in ascending order: the last r columns, reversed.
  const auto eigenvectors = std::get<1>(torch::linalg_eigh(covariance));
  const auto top = eigenvectors.slice(1, d - r, d).flip({1});
  return {mean.to(x.scalar_type()), top.to(x.scalar_type())};
}

torch::Tensor signs(const torch::Tensor& x) { return torch::where(x >= 0, 1.0, -1.0).to(x.scalar_type()); }

torch::Generator seeded_generator(uint64_t seed) { return at::detail::createCPUGenerator(seed); }

}  // namespace hashrl
