#pragma once
// Data-parallel training across processes, on PyTorch's own engine: c10d's Gloo process group
// (TCP, CPU tensors) with a TCPStore rendezvous, as torchrun sets it up. Every rank holds the whole
// model, draws its own triplets, and averages its gradients with the others before each optimiser
// step, so all ranks take the same step and stay identical (docs/distributed.md).
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
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  // How long a collective (or the rendezvous) waits for the other ranks before failing: a rank that
  // died makes the others exit with an error naming the wait, not hang.
  std::chrono::seconds timeout{120};
};

// From torchrun's variables RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT (and HASHRL_DIST_TIMEOUT,
// seconds); world_size 1 when WORLD_SIZE is unset. Throws naming the variable when one is malformed.
DistributedOptions distributed_from_environment();

class ProcessGroup {
 public:
  // Joins the group (rank 0 hosts the store); throws naming the address when the rendezvous fails.
  explicit ProcessGroup(const DistributedOptions& options);
  ~ProcessGroup();

  int rank() const { return options_.rank; }
  int world_size() const { return options_.world_size; }

  // Averages the tensors in place over the ranks: packed into buckets of about 16 MiB, one
  // all-reduce per bucket. Every rank must pass the same shapes in the same order.
  void average(const std::vector<torch::Tensor>& tensors);
  // Copies rank `root`'s tensors into every rank's, in place.
  void broadcast(const std::vector<torch::Tensor>& tensors, int root = 0);
  // Sums one number over the ranks (a metric, a flag).
  double sum(double value);

 private:
  struct Impl;
  DistributedOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hashrl
