#include "hashrl/train/distributed.h"

// ProcessGroupGloo.hpp declares its class only under this macro, as PyTorch's own build sets it.
// Defined here rather than on the command line, so that this file still shares the precompiled header.
#define USE_C10D_GLOO 1
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/torch.h>

#include <cstdlib>

#include "hashrl/common/error.h"
#include "hashrl/common/parse_number.h"

namespace hashrl {
namespace {

constexpr int64_t kBucketBytes = 16 << 20;

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
  if (const auto seconds = integer_variable("HASHRL_DIST_TIMEOUT", 1, 86400))
    options.timeout = std::chrono::seconds(*seconds);
  return options;
}

struct ProcessGroup::Impl {
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
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
    auto store = c10::make_intrusive<c10d::PrefixStore>(
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
    impl_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, options_.rank, options_.world_size, gloo);
  } catch (const std::exception& e) {
    fail("rank {} of {}: cannot join the group at {}:{} ({})", options_.rank, options_.world_size,
         options_.master_addr, options_.master_port, std::string(e.what()).substr(0, 300));
  }
}

ProcessGroup::~ProcessGroup() = default;

void ProcessGroup::average(const std::vector<torch::Tensor>& tensors) {
  torch::NoGradGuard no_grad;
  size_t first = 0;
  while (first < tensors.size()) {
    // One bucket: consecutive tensors up to kBucketBytes (at least one), flattened into one buffer.
    size_t last = first;
    int64_t bytes = 0;
    std::vector<torch::Tensor> flat;
    while (last < tensors.size() && (last == first || bytes + tensors[last].nbytes() <= kBucketBytes)) {
      bytes += static_cast<int64_t>(tensors[last].nbytes());
      flat.push_back(tensors[last].reshape({-1}));
      ++last;
    }
    std::vector<at::Tensor> bucket = {torch::cat(flat)};
    collective("averaging the gradients", rank(), [&] { impl_->group->allreduce(bucket)->wait(); });
    bucket[0].div_(world_size());
    int64_t offset = 0;
    for (size_t i = first; i < last; ++i) {
      const int64_t n = tensors[i].numel();
      tensors[i].copy_(bucket[0].slice(0, offset, offset + n).view_as(tensors[i]));
      offset += n;
    }
    first = last;
  }
}

void ProcessGroup::broadcast(const std::vector<torch::Tensor>& tensors, int root) {
  torch::NoGradGuard no_grad;
  for (const auto& tensor : tensors) {
    std::vector<at::Tensor> one = {tensor.detach()};
    c10d::BroadcastOptions options;
    options.rootRank = root;
    collective("broadcasting the parameters", rank(), [&] { impl_->group->broadcast(one, options)->wait(); });
  }
}

double ProcessGroup::sum(double value) {
  std::vector<at::Tensor> one = {torch::tensor({value}, torch::kFloat64)};
  collective("summing a value", rank(), [&] { impl_->group->allreduce(one)->wait(); });
  return one[0].item<double>();
}

}  // namespace hashrl
