#pragma once
// Data-parallel training across processes, on PyTorch's own engine: c10d's Gloo process group
// (TCP) with a TCPStore rendezvous, as torchrun sets it up, and c10d's NCCL process group for the
// CUDA tensors where LibTorch has CUDA and NCCL. Every rank holds the whole
// model, draws its own triplets, and averages its gradients with the others before each optimiser
// step, so all ranks take the same step and stay identical (docs/distributed.md). The averaging
// overlaps the backward pass (gradient_averager.h).
//
//   hashrl train --config C --out RUN --nproc 2                       # two local ranks
//   python3 -m torch.distributed.run --no_python --nproc_per_node 2 hashrl train --config C --out RUN
#include <torch/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace hashrl {

struct DistributedOptions {
  int rank = 0;
  int world_size = 1;  // 1: not distributed, nothing is set up
  int local_rank = 0;  // the rank among this machine's ranks: which of its GPUs this rank uses
  // Where the ranks' model lives: its CUDA tensors are summed and broadcast with NCCL where this
  // LibTorch has it (Gloo otherwise), everything else (CPU tensors, bytes) with Gloo.
  torch::Device device = torch::kCPU;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  // How long a collective (or the rendezvous) waits for the other ranks before failing: a rank that
  // died makes the others exit with an error naming the wait, not hang.
  std::chrono::seconds timeout{120};
  // torchrun's restart count: above 0, this attempt follows one that failed (a rank died), and
  // `hashrl train` resumes from the run's last checkpoint instead of starting over.
  int restart = 0;
};

// From torchrun's variables RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT (and HASHRL_DIST_TIMEOUT,
// seconds) and TORCHELASTIC_RESTART_COUNT; world_size 1 when WORLD_SIZE is unset. Throws naming
// the variable when one is malformed.
DistributedOptions distributed_from_environment();

// With several GPUs on a machine each local rank takes its own: makes GPU LOCAL_RANK (modulo
// their number) the current CUDA device, which `cuda` without an index then means. Nothing
// without CUDA or outside a data-parallel run.
void use_local_cuda_device(const DistributedOptions& options);

// The seed of what rank `rank` draws at step `step` of a data-parallel run (its triplets, its bits;
// `stream` tells apart the draws of one step). It depends on nothing else, so a run resumed at any
// step, after any restart, draws exactly what the uninterrupted run drew.
uint64_t rank_step_seed(uint64_t seed, int rank, int64_t step, int64_t stream = 0);

class ProcessGroup {
 public:
  // Joins the group (rank 0 hosts the store); throws naming the address when the rendezvous fails.
  explicit ProcessGroup(const DistributedOptions& options);
  ~ProcessGroup();

  int rank() const { return options_.rank; }
  int world_size() const { return options_.world_size; }

  // A sum over the ranks that runs while the caller goes on; wait() finishes it.
  class PendingSum {
   public:
    virtual ~PendingSum() = default;
    virtual void wait() = 0;
  };
  // Starts summing `tensor` in place over the ranks (an all-reduce). Every rank must start the same
  // sums, of the same shapes, in the same order.
  std::unique_ptr<PendingSum> start_sum(torch::Tensor tensor);
  // Copies rank `root`'s tensors into every rank's, in place.
  void broadcast(const std::vector<torch::Tensor>& tensors, int root = 0);
  // Rank `root`'s bytes into every rank's string (a serialised model).
  void broadcast(std::string& bytes, int root = 0);
  // Every rank's rows, concatenated in rank order, on every rank: the ranks may hold different
  // numbers of rows of the same trailing shape and type (shards of an encoded database).
  torch::Tensor gather_rows(const torch::Tensor& rows);

 private:
  struct Impl;
  DistributedOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hashrl
