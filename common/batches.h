#pragma once
// Work over n items in batches, with a progress display: every batched encode (features, codes,
// a frozen encoder's training split) is this loop. And the guard that runs a module in eval mode
// for the work's length, restoring its mode even when the work throws.
#include <torch/nn/module.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "hashrl/common/error.h"
#include "hashrl/common/progress.h"

namespace hashrl {

// Calls work(begin, end) for [0, n) in slices of at most `batch_size`, under `label` in a progress
// display counting `unit`s.
template <typename Work>
void for_each_batch(int64_t n, int64_t batch_size, const std::string& label, const std::string& unit, Work&& work) {
  if (batch_size < 1) fail("{}: the batch size must be at least 1, got {}", label, batch_size);
  Progress progress(label, n, unit);
  for (int64_t begin = 0; begin < n; begin += batch_size) {
    const int64_t end = std::min(n, begin + batch_size);
    work(begin, end);
    progress.update(end);
  }
  progress.finish();
}

// Puts a module in eval mode (dropout off, batch norm on its running statistics) until the guard
// ends, then back in the mode it had.
class EvalModeGuard {
 public:
  explicit EvalModeGuard(torch::nn::Module& module) : module_(module), was_training_(module.is_training()) {
    module_.eval();
  }
  ~EvalModeGuard() { module_.train(was_training_); }
  EvalModeGuard(const EvalModeGuard&) = delete;
  EvalModeGuard& operator=(const EvalModeGuard&) = delete;

 private:
  torch::nn::Module& module_;
  bool was_training_;
};

}  // namespace hashrl
