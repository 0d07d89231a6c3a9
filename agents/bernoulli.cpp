#include "hashrl/agents/bernoulli.h"

#include <torch/torch.h>

namespace hashrl {

torch::Tensor bernoulli_log_prob(const torch::Tensor& probs, const torch::Tensor& bits) {
  const auto p = probs.clamp(kMinProb, 1.0 - kMinProb);
  return (bits * torch::log(p) + (1.0 - bits) * torch::log1p(-p)).sum(-1);
}

torch::Tensor bernoulli_entropy(const torch::Tensor& probs) {
  const auto p = probs.clamp(kMinProb, 1.0 - kMinProb);
  return -(p * torch::log(p) + (1.0 - p) * torch::log1p(-p)).sum(-1);
}

torch::Tensor draw_bits(const torch::Tensor& probs, bool greedy) {
  const auto p = probs.detach();
  return greedy ? (p > 0.5).to(p.scalar_type()) : torch::bernoulli(p);
}

}  // namespace hashrl
