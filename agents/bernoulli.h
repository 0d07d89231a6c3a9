#pragma once
// Per-bit Bernoulli arithmetic shared by every agent that emits bits (eq. 1-2).
#include <torch/types.h>

namespace hashrl {

// Probabilities are clamped to [kMinProb, 1 - kMinProb] before logs, so a saturated sigmoid
// gives a large but finite log-probability instead of -inf.
inline constexpr double kMinProb = 1e-6;

// log P(bits) under independent Bernoulli(probs), summed over the last dimension: [N, k] -> [N].
torch::Tensor bernoulli_log_prob(const torch::Tensor& probs, const torch::Tensor& bits);

// Entropy of independent Bernoulli(probs), summed over the last dimension: [N, k] -> [N].
torch::Tensor bernoulli_entropy(const torch::Tensor& probs);

// Sampled bits (a draw from the global torch generator) or greedy bits (p > 0.5), as float.
// Throws NonFiniteError when a probability is not finite.
torch::Tensor draw_bits(const torch::Tensor& probs, bool greedy);

}  // namespace hashrl
