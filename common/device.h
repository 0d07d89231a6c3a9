#pragma once
// Where tensors live, as configs and flags spell it.
#include <torch/types.h>

#include <string>

namespace hashrl {

// "cpu", "cuda", "cuda:1", or "auto" (CUDA where LibTorch has it, else CPU). Throws naming the text
// when it is not a device, or names CUDA on a LibTorch without it.
torch::Device parse_device(const std::string& text);

}  // namespace hashrl
