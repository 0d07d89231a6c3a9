#include "hashrl/common/device.h"

#include <torch/cuda.h>

#include "hashrl/common/error.h"

namespace hashrl {
namespace {

// `cuda` as the GPU it means now, `cuda:0`: tensors put on `cuda` report their GPU's index, and a
// space (env/spaces.h) that said only `cuda` would not match them.
torch::Device concrete(torch::Device device) {
  if (!device.is_cuda() || device.has_index()) return device;
  return torch::empty({0}, torch::TensorOptions().device(device)).device();
}

}  // namespace

torch::Device parse_device(const std::string& text) {
  if (text == "auto") return torch::cuda::is_available() ? concrete(torch::kCUDA) : torch::Device(torch::kCPU);
  try {
    torch::Device device(text);
    if (device.is_cuda() && !torch::cuda::is_available())
      fail("device '{}' asked for, but this LibTorch has no CUDA (use cpu or auto)", text);
    return concrete(device);
  } catch (const c10::Error&) {
    fail("unknown device '{}' (cpu, cuda, cuda:N or auto)", text);
  }
}

}  // namespace hashrl
