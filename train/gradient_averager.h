#pragma once
// Gradients averaged over the ranks while the backward pass still runs, the idea of c10d's Reducer
// (what Python's DistributedDataParallel uses): the parameters are packed into buckets, a hook on
// each parameter copies its gradient into its bucket as soon as autograd has it, and a bucket whose
// gradients are all in starts its all-reduce at once, while backward goes on with the layers below.
// Buckets start in the same order on every rank (a bucket waits for the ones before it), so the
// collectives always match. The first step packs the parameters in reverse order (the order
// backward tends to reach them); after it, as the Reducer does, they are packed again in the order
// their gradients arrived on rank 0, parameters that got none last — one such parameter in an early
// bucket would otherwise hold every bucket back until backward ends.
//
//   GradientAverager averager(group, parameters);
//   optimizer.zero_grad();
//   averager.begin();
//   loss.backward();
//   averager.finish();  // every parameter's grad is now the mean over the ranks
#include <torch/types.h>

#include <memory>
#include <utility>
#include <vector>

#include "hashrl/train/distributed.h"

namespace hashrl {

class GradientAverager {
 public:
  // What the averaging cost, summed since the last take_stats().
  struct Stats {
    int64_t bytes = 0;                // gradient bytes each rank sent into all-reduces
    int64_t buckets = 0;              // all-reduces
    int64_t started_in_backward = 0;  // of them, started before backward returned
    double wait_seconds = 0;          // time finish() waited for them after backward
  };

  // The first bucket is small (1 MiB), so that the first all-reduce starts early in backward; the
  // others hold about `bucket_bytes`.
  GradientAverager(ProcessGroup& group, std::vector<torch::Tensor> parameters, int64_t bucket_bytes = 16 << 20);
  ~GradientAverager();  // removes the hooks
  GradientAverager(const GradientAverager&) = delete;
  GradientAverager& operator=(const GradientAverager&) = delete;

  // Before the one backward pass whose gradients are to be averaged; the gradients must have been
  // cleared (a hook sees only its own backward's contribution).
  void begin();
  // After it: starts the buckets not started (a parameter this rank's loss did not reach counts as
  // zeros, as it must on every rank), waits, and writes each mean into the parameter's grad.
  void finish();

  Stats take_stats();

 private:
  struct Bucket;
  void build_buckets(const std::vector<size_t>& order);
  void rebuild_in_arrival_order();
  void on_gradient(size_t parameter, const torch::Tensor& grad);
  void start_ready_buckets();

  ProcessGroup& group_;
  std::vector<torch::Tensor> parameters_;
  int64_t bucket_bytes_;
  std::vector<Bucket> buckets_;
  // Where each parameter lies: its bucket and its offset in the bucket's flat buffer.
  std::vector<std::pair<size_t, int64_t>> place_;
  std::vector<bool> arrived_;
  std::vector<size_t> arrival_;  // the first step's order of arrival
  bool rebuilt_ = false;
  std::vector<std::pair<size_t, unsigned>> hooks_;  // (parameter, hook) to remove
  size_t next_to_start_ = 0;
  bool armed_ = false;
  Stats stats_;
};

}  // namespace hashrl
