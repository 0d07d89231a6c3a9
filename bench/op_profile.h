// Where a piece of work's time goes, operator by operator: LibTorch's profiler around it, each
// operator's self time (its own, not its callees') and the FLOPs LibTorch counts for the products
// and convolutions. What `bench_train --profile` prints for a drlih-cpu step.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace hashrl::bench {

/// One operator's share of the profiled work, summed over its calls.
struct OpTime {
  std::string name;
  double self_ms = 0;
  int64_t calls = 0;
  /// FLOPs as LibTorch counts them (aten::conv2d, mm, addmm, bmm, mul, add); 0 for the others,
  /// convolution_backward included.
  double flops = 0;
};

/// Runs `work` under the profiler (in this thread and the autograd engine's); slowest first.
std::vector<OpTime> profile_ops(const std::function<void()>& work);

/// The `rows` slowest operators, each figure divided by `per` (e.g. per step), with its share.
void print_op_table(const std::vector<OpTime>& ops, double per, int rows);

}  // namespace hashrl::bench
