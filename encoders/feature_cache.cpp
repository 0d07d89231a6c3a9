#include "hashrl/encoders/feature_cache.h"

#include <torch/torch.h>

#include <filesystem>

#include "hashrl/common/error.h"
#include "hashrl/common/npy.h"
#include "hashrl/common/batches.h"

namespace hashrl {
namespace {

// FNV-1a, 64 bits: not cryptographic, but any change of a byte changes the key.
class Fnv1a {
 public:
  void add(const void* data, size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i) hash_ = (hash_ ^ p[i]) * 1099511628211ull;
  }
  void add(const std::string& text) { add(text.data(), text.size()); }
  void add(const torch::Tensor& t) {
    const auto c = t.detach().to(torch::kCPU).contiguous();
    add(c.data_ptr(), static_cast<size_t>(c.numel() * c.element_size()));
  }
  std::string hex() const { return fmt::format("{:016x}", hash_); }

 private:
  uint64_t hash_ = 1469598103934665603ull;
};

}  // namespace

std::string feature_cache_key(Encoder& encoder, const torch::Tensor& items) {
  Fnv1a hash;
  hash.add(encoder.describe());
  for (const auto& p : encoder.named_parameters()) hash.add(p.key()), hash.add(p.value());
  for (const auto& b : encoder.named_buffers()) hash.add(b.key()), hash.add(b.value());
  hash.add(fmt::format("{}", items.sizes()));
  hash.add(items);
  return hash.hex();
}

torch::Tensor encode_items(Encoder& encoder, const torch::Tensor& items, int64_t batch_size,
                           const std::string& label, torch::Device device) {
  EvalModeGuard eval_mode(encoder);
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> parts;
  for_each_batch(items.size(0), batch_size, label, "img", [&](int64_t begin, int64_t end) {
    parts.push_back(encoder.forward(items.slice(0, begin, end).to(device)).to(torch::kCPU));
  });
  if (parts.empty()) return torch::zeros({0, encoder.output_dim()});
  return torch::cat(parts).contiguous();
}

torch::Tensor cached_features(Encoder& encoder, const torch::Tensor& items, const std::string& dir,
                              int64_t batch_size, const std::string& label, torch::Device device) {
  if (dir.empty()) return encode_items(encoder, items, batch_size, label, device);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/" + feature_cache_key(encoder, items) + ".npy";
  if (std::filesystem::exists(path)) {
    auto features = load_npy(path);
    if (features.dim() == 2 && features.size(0) == items.size(0) && features.size(1) == encoder.output_dim())
      return features;
    fail("feature cache '{}' does not hold [{}, {}] features; delete it", path, items.size(0), encoder.output_dim());
  }
  auto features = encode_items(encoder, items, batch_size, label, device);
  save_npy(path, features);
  return features;
}

}  // namespace hashrl
