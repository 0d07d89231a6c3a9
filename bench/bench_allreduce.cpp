// The all-reduce that data-parallel training runs every step (train/distributed.h), alone: two ranks
// of a Gloo group on loopback (threads of this process, as TCP peers), for the bucket sizes of
// drlih-cpu and of the paper-size policy. Prints the time per all-reduce, the latency (smallest
// size) and the bus bandwidth (2 (n-1)/n x bytes / time, what a ring moves per rank), the inputs of
// bench/distributed.sh's model for more machines.
// Usage: bench_allreduce [--repeats R]
#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "hashrl/train/distributed.h"

int main(int argc, char** argv) {
  int repeats = 10;
  for (int i = 1; i + 1 < argc; i += 2)
    if (!std::strcmp(argv[i], "--repeats")) repeats = std::atoi(argv[i + 1]);
  torch::set_num_threads(1);
  const int port = 29400 + static_cast<int>(::getpid() % 400);
  const std::vector<int64_t> sizes = {4 << 10, 1 << 20, 16 << 20, 64 << 20, 256 << 20};
  std::vector<double> seconds(sizes.size());
  std::vector<std::thread> ranks;
  for (int rank = 0; rank < 2; ++rank)
    ranks.emplace_back([&, rank] {
      hashrl::DistributedOptions options;
      options.rank = rank;
      options.world_size = 2;
      options.master_port = port;
      hashrl::ProcessGroup group(options);
      for (size_t s = 0; s < sizes.size(); ++s) {
        auto tensor = torch::ones({sizes[s] / 4});
        group.start_sum(tensor)->wait();  // warm: the connections' buffers
        const auto start = std::chrono::steady_clock::now();
        for (int r = 0; r < repeats; ++r) group.start_sum(tensor)->wait();
        if (rank == 0)
          seconds[s] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / repeats;
      }
    });
  for (auto& thread : ranks) thread.join();
  fmt::print("all-reduce, 2 Gloo ranks on loopback, 1 thread each, mean of {}\n", repeats);
  fmt::print("{:>10} | {:>11} | {:>14}\n", "MiB", "ms", "bus GB/s");
  for (size_t s = 0; s < sizes.size(); ++s)
    fmt::print("{:10.3f} | {:11.3f} | {:14.2f}\n", sizes[s] / 1048576.0, seconds[s] * 1e3,
               sizes[s] / seconds[s] / 1e9);  // 2 (n-1)/n = 1 at n = 2
}
