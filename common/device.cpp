#include "hashrl/common/device.h"

#include <torch/cuda.h>

#include "hashrl/common/error.h"

namespace hashrl {

torch::Device parse_device(const std::string& text) {
  if (text == "auto") return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  try {
    torch::Device device(text);
    if (device.is_cuda() && !torch::cuda::is_available())
      fail("device '{}' asked for, but this LibTorch has no CUDA (use cpu or auto)", text);
    return device;
  } catch (const c10::Error&) {
    fail("unknown device '{}' (cpu, cuda, cuda:N or auto)", text);
  }
}

}  // namespace hashrl
