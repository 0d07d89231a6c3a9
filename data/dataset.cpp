#include "hashrl/data/dataset.h"

#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/common/limits.h"

namespace hashrl {
namespace {

torch::Tensor rows_of(const torch::Tensor& t, const torch::Tensor& indices) {
  return t.defined() ? t.index_select(0, indices.to(t.device())) : t;
}

torch::Tensor cat_defined(const torch::Tensor& a, const torch::Tensor& b) {
  if (!a.defined() && !b.defined()) return {};
  return torch::cat({a, b});
}

}  // namespace

Dataset Dataset::subset(const torch::Tensor& indices) const {
  Dataset out;
  out.name = name;
  out.images = rows_of(images, indices);
  out.features = rows_of(features, indices);
  out.labels = rows_of(labels, indices);
  out.from_test_file = rows_of(from_test_file, indices);
  return out;
}

void Dataset::validate() const {
  if (!labels.defined() || labels.dim() != 2)
    fail("data set '{}': labels must be a multi-hot matrix [N, L]", name);
  if (labels.scalar_type() != torch::kUInt8) fail("data set '{}': labels must be uint8", name);
  const int64_t n = labels.size(0);
  if (images.defined() == features.defined())
    fail("data set '{}': exactly one of images and features must be set", name);
  if (images.defined()) {
    if (images.dim() != 4 || images.scalar_type() != torch::kUInt8)
      fail("data set '{}': images must be uint8 [N, C, H, W]", name);
    if (images.size(0) != n)
      fail("data set '{}': {} images but {} labels", name, images.size(0), n);
  }
  if (features.defined()) {
    if (features.dim() != 2 || features.scalar_type() != torch::kFloat32)
      fail("data set '{}': features must be float32 [N, D]", name);
    if (features.size(0) != n)
      fail("data set '{}': {} feature rows but {} labels", name, features.size(0), n);
  }
  if (from_test_file.defined() && from_test_file.size(0) != n)
    fail("data set '{}': test-file mask has {} entries for {} items", name, from_test_file.size(0), n);
}

Dataset concat(const Dataset& first, const Dataset& second, const std::string& name) {
  if (first.has_images() != second.has_images() || first.num_labels() != second.num_labels())
    fail("cannot join data sets '{}' and '{}': they differ in kind or label count", first.name,
         second.name);
  Dataset out;
  out.name = name;
  out.images = cat_defined(first.images, second.images);
  out.features = cat_defined(first.features, second.features);
  out.labels = torch::cat({first.labels, second.labels});
  if (first.from_test_file.defined() && second.from_test_file.defined())
    out.from_test_file = torch::cat({first.from_test_file, second.from_test_file});
  return out;
}

torch::Tensor one_hot_labels(const torch::Tensor& class_ids, int64_t num_classes,
                             const std::string& origin) {
  const auto ids = class_ids.to(torch::kInt64).reshape({-1});
  if (num_classes > kMaxLabels) fail("{}: {} classes, more than the limit of {}", origin, num_classes, kMaxLabels);
  if (ids.numel() > 0) {
    const int64_t lo = ids.min().item<int64_t>(), hi = ids.max().item<int64_t>();
    if (lo < 0 || hi >= num_classes)
      fail("{}: label {} is out of range [0, {})", origin, lo < 0 ? lo : hi, num_classes);
  }
  auto out = torch::zeros({ids.size(0), num_classes}, torch::kUInt8);
  if (ids.numel() > 0) out.scatter_(1, ids.unsqueeze(1), 1);
  return out;
}

torch::Tensor as_multi_hot(const torch::Tensor& labels, const std::string& origin) {
  if (labels.dim() == 1) {
    if (torch::isFloatingType(labels.scalar_type()))
      fail("{}: class ids must be integers, got {}", origin, c10::toString(labels.scalar_type()));
    const int64_t classes = labels.numel() ? std::min(labels.max().item<int64_t>(), kMaxLabels) + 1 : 0;
    return one_hot_labels(labels, classes, origin);
  }
  if (labels.dim() != 2) fail("{}: labels must be class ids [N] or multi-hot [N, L], got {} dims", origin, labels.dim());
  const auto ok = (labels == 0).logical_or(labels == 1).all().item<bool>();
  if (!ok) fail("{}: multi-hot labels must hold only 0 and 1", origin);
  return labels.to(torch::kUInt8).contiguous();
}

}  // namespace hashrl
