#include "hashrl/train/distributed.h"

// ProcessGroupGloo.hpp declares its class only under this macro, as PyTorch's own build sets it.
// Defined here rather than on the command line, so that this file still shares the precompiled header.
#define USE_C10D_GLOO 1
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/torch.h>

#include "hashrl_backends.h"  // HASHRL_WITH_CUDA, HASHRL_WITH_NCCL (train/CMakeLists.txt)
#if HASHRL_WITH_CUDA
#include <c10/cuda/CUDAFunctions.h>
#endif
#if HASHRL_WITH_NCCL
#define USE_C10D_NCCL 1
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <cstdlib>
#include <cstring>

#include "hashrl/common/error.h"
#include "hashrl/common/parse_number.h"

namespace hashrl {
namespace {

std::optional<int64_t> integer_variable(const char* name, int64_t min, int64_t max) {
  const char* text = std::getenv(name);
  if (!text) return std::nullopt;
  const auto value = parse_integer(text);
  if (!value || *value < min || *value > max)
    fail("environment variable {}='{}' must be an integer from {} to {}", name, text, min, max);
  return value;
}

// The c10d call `what` on the group, its failures (a peer that died, a timeout) named as ours.
template <class Fn>
void collective(const char* what, int rank, Fn&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    fail("rank {}: {} across the ranks failed — another rank has likely died or stalled ({})", rank, what,
         std::string(e.what()).substr(0, 300));
  }
}

}  // namespace

DistributedOptions distributed_from_environment() {
  DistributedOptions options;
  const auto world = integer_variable("WORLD_SIZE", 1, 65536);
  if (!world || *world == 1) return options;
  options.world_size = static_cast<int>(*world);
  const auto rank = integer_variable("RANK", 0, *world - 1);
  if (!rank) fail("WORLD_SIZE={} is set but RANK is not: start the ranks with torchrun or hashrl train --nproc", *world);
  options.rank = static_cast<int>(*rank);
  if (const char* addr = std::getenv("MASTER_ADDR")) options.master_addr = addr;
  if (const auto port = integer_variable("MASTER_PORT", 1, 65535)) options.master_port = static_cast<int>(*port);
  if (const auto local = integer_variable("LOCAL_RANK", 0, *world - 1)) options.local_rank = static_cast<int>(*local);
  if (const auto seconds = integer_variable("HASHRL_DIST_TIMEOUT", 1, 86400))
    options.timeout = std::chrono::seconds(*seconds);
  if (const auto restart = integer_variable("TORCHELASTIC_RESTART_COUNT", 0, 1 << 20))
    options.restart = static_cast<int>(*restart);
  return options;
}

void use_local_cuda_device(const DistributedOptions& options) {
#if HASHRL_WITH_CUDA
  const auto count = c10::cuda::device_count();
  if (options.world_size > 1 && count > 0)
    c10::cuda::set_device(static_cast<c10::DeviceIndex>(options.local_rank % count));
#else
  (void)options;
#endif
}

uint64_t rank_step_seed(uint64_t seed, int rank, int64_t step, int64_t stream) {
  // splitmix64's finaliser over each part in turn: nearby (rank, step) pairs give unrelated seeds.
  auto mix = [](uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  uint64_t h = mix(seed + 0x9e3779b97f4a7c15ULL);
  for (const uint64_t part : {static_cast<uint64_t>(rank), static_cast<uint64_t>(step), static_cast<uint64_t>(stream)})
    h = mix(h ^ (part + 0x9e3779b97f4a7c15ULL));
  return h;
}

struct ProcessGroup::Impl {
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
#if HASHRL_WITH_NCCL
  c10::intrusive_ptr<c10d::ProcessGroupNCCL> nccl;  // when the ranks' model is on CUDA
#endif

  // `collective(group)` on the group for `tensor`: NCCL for a CUDA tensor where there is one,
  // Gloo otherwise (Gloo in a CUDA build sums and broadcasts CUDA tensors too, through the host).
  template <class Collective>
  c10::intrusive_ptr<c10d::Work> on_group_for(const torch::Tensor& tensor, Collective&& collective) {
#if HASHRL_WITH_NCCL
    if (nccl && tensor.is_cuda()) return collective(*nccl);
#endif
    return collective(*gloo);
  }
};

ProcessGroup::ProcessGroup(const DistributedOptions& options) : options_(options), impl_(std::make_unique<Impl>()) {
  if (options_.world_size < 2 || options_.rank < 0 || options_.rank >= options_.world_size)
    fail("a process group needs 2 or more ranks and a rank below them, got rank {} of {}", options_.rank,
         options_.world_size);
  try {
    // Under torchrun the launcher's agent already hosts the store at MASTER_PORT: every rank joins
    // it as a client. Otherwise (hashrl train --nproc, hand-set variables) rank 0 hosts it.
    const char* agent_store = std::getenv("TORCHELASTIC_USE_AGENT_STORE");
    const bool launcher_hosts = agent_store && std::string(agent_store) == "True";
    c10d::TCPStoreOptions store_options;
    store_options.port = static_cast<uint16_t>(options_.master_port);
    store_options.isServer = !launcher_hosts && options_.rank == 0;
    store_options.numWorkers = options_.world_size;
    store_options.waitWorkers = !launcher_hosts;
    store_options.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(options_.timeout);
    // The keys of each attempt apart: torchrun's store outlives a restart of the workers.
    const char* restart = std::getenv("TORCHELASTIC_RESTART_COUNT");
    c10::intrusive_ptr<c10d::Store> store = c10::make_intrusive<c10d::PrefixStore>(
        fmt::format("hashrl/{}", restart ? restart : "0"),
        c10::make_intrusive<c10d::TCPStore>(options_.master_addr, store_options));
    auto gloo = c10d::ProcessGroupGloo::Options::create();
    gloo->timeout = std::chrono::duration_cast<std::chrono::milliseconds>(options_.timeout);
    // The interface Gloo talks over: GLOO_SOCKET_IFNAME when set (several machines), else the one
    // that reaches the master's address.
    if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME"))
      gloo->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
    else
      gloo->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(options_.master_addr));
    // Each group's keys apart in the one store.
    impl_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(c10::make_intrusive<c10d::PrefixStore>("gloo", store),
                                                              options_.rank, options_.world_size, gloo);
#if HASHRL_WITH_NCCL
    if (options_.device.is_cuda()) {
      auto nccl = c10d::ProcessGroupNCCL::Options::create();
      nccl->timeout = gloo->timeout;
      impl_->nccl = c10::make_intrusive<c10d::ProcessGroupNCCL>(c10::make_intrusive<c10d::PrefixStore>("nccl", store),
                                                                options_.rank, options_.world_size, nccl);
    }
#endif
  } catch (const std::exception& e) {
    fail("rank {} of {}: cannot join the group at {}:{} ({})", options_.rank, options_.world_size,
         options_.master_addr, options_.master_port, std::string(e.what()).substr(0, 300));
  }
}

ProcessGroup::~ProcessGroup() = default;

namespace {

// A sum started on Gloo or NCCL: wait() waits for it, its failure named as ours.
class C10dSum : public ProcessGroup::PendingSum {
 public:
  C10dSum(c10::intrusive_ptr<c10d::Work> work, int rank) : work_(std::move(work)), rank_(rank) {}
  void wait() override {
    collective("averaging the gradients", rank_, [&] { work_->wait(); });
  }

 private:
  c10::intrusive_ptr<c10d::Work> work_;
  int rank_;
};

}  // namespace

std::unique_ptr<ProcessGroup::PendingSum> ProcessGroup::start_sum(torch::Tensor tensor) {
  std::vector<at::Tensor> one = {std::move(tensor)};
  c10::intrusive_ptr<c10d::Work> work;
  collective("averaging the gradients", rank(), [&] {
    work = impl_->on_group_for(one.front(), [&](auto& group) { return group.allreduce(one); });
  });
  return std::make_unique<C10dSum>(std::move(work), rank());
}

void ProcessGroup::broadcast(const std::vector<torch::Tensor>& tensors, int root) {
  torch::NoGradGuard no_grad;
  for (const auto& tensor : tensors) {
    std::vector<at::Tensor> one = {tensor.detach()};
    c10d::BroadcastOptions options;
    options.rootRank = root;
    collective("broadcasting the parameters", rank(), [&] {
      impl_->on_group_for(one.front(), [&](auto& group) { return group.broadcast(one, options); })->wait();
    });
  }
}

void ProcessGroup::broadcast(std::string& bytes, int root) {
  auto size = torch::tensor({static_cast<int64_t>(bytes.size())}, torch::kInt64);
  broadcast({size}, root);
  auto buffer = torch::empty({size.item<int64_t>()}, torch::kUInt8);
  if (rank() == root) std::memcpy(buffer.data_ptr(), bytes.data(), bytes.size());
  broadcast({buffer}, root);
  bytes.assign(reinterpret_cast<const char*>(buffer.data_ptr()), static_cast<size_t>(buffer.numel()));
}

torch::Tensor ProcessGroup::gather_rows(const torch::Tensor& device_rows) {
  // On the host through Gloo, whose all-gather takes equal shapes: every rank pads its rows to the
  // longest, then trims.
  const auto rows = device_rows.cpu();
  auto counts = torch::zeros({world_size()}, torch::kInt64);
  counts[rank()] = rows.size(0);
  std::vector<at::Tensor> one = {counts};
  collective("gathering the encoded shards", rank(), [&] { impl_->gloo->allreduce(one)->wait(); });
  const int64_t longest = counts.max().item<int64_t>();
  auto shape = rows.sizes().vec();
  shape[0] = longest;
  auto padded = torch::zeros(shape, rows.options());
  padded.slice(0, 0, rows.size(0)).copy_(rows);
  std::vector<std::vector<at::Tensor>> gathered(1);
  for (int r = 0; r < world_size(); ++r) gathered[0].push_back(torch::empty_like(padded));
  std::vector<at::Tensor> input = {padded};
  collective("gathering the encoded shards", rank(), [&] { impl_->gloo->allgather(gathered, input)->wait(); });
  std::vector<torch::Tensor> parts;
  for (int r = 0; r < world_size(); ++r) parts.push_back(gathered[0][r].slice(0, 0, counts[r].item<int64_t>()));
  return torch::cat(parts).to(device_rows.device());
}

}  // namespace hashrl
