#include "hashrl/retrieval/packed_codes.h"

#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/common/limits.h"

namespace hashrl {
namespace {

// Packs a 0/1 uint8 matrix [n, m].
PackedBits pack_rows(const torch::Tensor& zero_one) {
  const auto t = zero_one.contiguous();
  PackedBits out;
  out.rows = t.size(0);
  out.bits = t.size(1);
  out.words = std::max<int64_t>(1, (out.bits + 63) / 64);
  out.data.assign(static_cast<size_t>(out.rows * out.words), 0);
  const auto* src = t.data_ptr<uint8_t>();
  for (int64_t i = 0; i < out.rows; ++i)
    for (int64_t j = 0; j < out.bits; ++j)
      if (src[i * out.bits + j]) out.data[i * out.words + j / 64] |= uint64_t{1} << (j % 64);
  return out;
}

}  // namespace

PackedBits pack_codes(const torch::Tensor& codes, const std::string& origin) {
  if (codes.dim() != 2 || codes.size(1) < 1)
    fail("{}: codes must be a matrix [n, q] with q >= 1, got shape {}", origin, codes.sizes());
  const auto c = codes.detach().to(torch::kCPU);
  if (c.scalar_type() == torch::kBool) return pack_rows(c.to(torch::kUInt8));
  const auto values = c.to(torch::kFloat64);
  const bool zero_one = (values == 0).logical_or(values == 1).all().item<bool>();
  const bool plus_minus = (values == -1).logical_or(values == 1).all().item<bool>();
  if (c.numel() > 0 && !zero_one && !plus_minus)
    fail("{}: codes must hold 0/1 or -1/+1 values only", origin);
  return pack_rows((values > 0).to(torch::kUInt8));
}

int64_t label_width(const torch::Tensor& labels, const std::string& origin) {
  const int64_t width = labels.dim() == 2 ? labels.size(1) : labels.numel() ? labels.max().item<int64_t>() + 1 : 0;
  if (width > kMaxLabels) fail("{}: {} label columns (class id {}), past the limit of {}", origin, width, width - 1, kMaxLabels);
  return width;
}

torch::Tensor unpack_code(const uint64_t* row, int64_t bits) {
  auto code = torch::empty({bits}, torch::kUInt8);
  auto* out = code.data_ptr<uint8_t>();
  for (int64_t j = 0; j < bits; ++j) out[j] = static_cast<uint8_t>((row[j / 64] >> (j % 64)) & 1);
  return code;
}

PackedBits pack_labels(const torch::Tensor& labels, const std::string& origin, int64_t num_labels) {
  const auto l = labels.detach().to(torch::kCPU);
  if (l.dim() == 1) {
    if (torch::isFloatingType(l.scalar_type()) || l.scalar_type() == torch::kBool)
      fail("{}: class-id labels must be integers, got {}", origin, c10::toString(l.scalar_type()));
    const auto ids = l.to(torch::kInt64);
    if (ids.numel() && ids.min().item<int64_t>() < 0) fail("{}: negative class id", origin);
    const int64_t width = num_labels > 0 ? num_labels : label_width(ids, origin);
    if (ids.numel() && ids.max().item<int64_t>() >= width)
      fail("{}: class id {} out of range [0, {})", origin, ids.max().item<int64_t>(), width);
    auto one_hot = torch::zeros({ids.size(0), std::max<int64_t>(width, 1)}, torch::kUInt8);
    if (ids.numel()) one_hot.scatter_(1, ids.unsqueeze(1), 1);
    return pack_rows(one_hot);
  }
  if (l.dim() != 2) fail("{}: labels must be class ids [n] or multi-hot [n, L], got shape {}", origin, l.sizes());
  const auto values = l.to(torch::kFloat64);
  if (l.numel() && !(values == 0).logical_or(values == 1).all().item<bool>())
    fail("{}: multi-hot labels must hold 0 and 1 only", origin);
  return pack_rows(l.to(torch::kUInt8));
}

}  // namespace hashrl
