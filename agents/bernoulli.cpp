#include "hashrl/agents/bernoulli.h"

#include <torch/torch.h>

#include "hashrl/common/error.h"

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
  // torch::bernoulli would stop on NaN with its own check and a stack trace; greedy bits would
  // silently turn NaN into 0. One host sync per group either way.
  if (!torch::isfinite(p).all().item<bool>())
    throw NonFiniteError("the policy's bit probabilities are not finite (the parameters have diverged)");
  return greedy ? (p > 0.5).to(p.scalar_type()) : torch::bernoulli(p);
}

}  // namespace hashrl
