#pragma once
// Features of a frozen encoder, computed once and kept on disk as .npy.
//
// A cache entry's key hashes everything the features depend on: the encoder's architecture and
// preprocessing (Encoder::describe), the exact bytes of its weights and buffers, and the exact
// bytes of the items encoded. Features made with other weights, other preprocessing or other data
// therefore get another key and are never reused by mistake.
#include <string>

#include "hashrl/data/dataset.h"
#include "hashrl/encoders/encoder.h"

namespace hashrl {

// 16 hex digits identifying (encoder, weights, items).
std::string feature_cache_key(Encoder& encoder, const torch::Tensor& items);

// Encodes `items` ([N, ...] uint8 images or float features) in batches of `batch_size`, in eval
// mode without autograd, with a progress display labelled `label`; float32 [N, D] on the CPU.
torch::Tensor encode_items(Encoder& encoder, const torch::Tensor& items, int64_t batch_size,
                           const std::string& label, torch::Device device = torch::kCPU);

// encode_items through a cache in `dir` (created): DIR/<key>.npy is read when present, else
// written. An empty `dir` means no cache.
torch::Tensor cached_features(Encoder& encoder, const torch::Tensor& items, const std::string& dir,
                              int64_t batch_size, const std::string& label, torch::Device device = torch::kCPU);

}  // namespace hashrl
