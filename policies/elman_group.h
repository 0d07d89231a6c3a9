#pragma once
// One action group of the Elman RNN (eq. 5) as a single autograd node, for speed at the paper's
// sizes (hidden 4096): within a group the input after the first step is the previous hidden
// vector, x_t = c_{t-1}, so
//   c_1 = tanh(W_ih x_0 + W_hh c_0 + b),   c_t = tanh((W_ih + W_hh) c_{t-1} + b)  for t >= 2,
// with b = b_ih + b_hh. Computed this way the forward pass does one H x H product per step after
// the first instead of two, the backward pass likewise, and the weight gradient of all steps is
// one large product (inner dimension k N) instead of k thin ones that each write an H x H matrix.
// Same values and gradients as torch::nn::RNNCell stepped k times (tests/test_policies.cpp).
#include <torch/types.h>

namespace hashrl {

// x0, c0: [N, H]; weights [H, H], biases [H]. Returns the hidden vectors [N, k, H] (c_1 ... c_k).
torch::Tensor elman_group(const torch::Tensor& x0, const torch::Tensor& c0, const torch::Tensor& w_ih,
                          const torch::Tensor& w_hh, const torch::Tensor& b_ih, const torch::Tensor& b_hh,
                          int64_t steps);

}  // namespace hashrl
