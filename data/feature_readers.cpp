// Data sets that arrive as feature vectors: .npy files a user brings, and synthetic clusters.
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/common/limits.h"
#include "hashrl/common/npy.h"
#include "hashrl/data/readers.h"

namespace hashrl {

Dataset read_npy_features(const std::string& features_path, const std::string& labels_path) {
  const auto features = load_npy(features_path);
  if (features.dim() != 2 || features.scalar_type() != torch::kFloat32)
    fail("'{}': features must be float32 [N, D], got {} {}", features_path,
         c10::toString(features.scalar_type()), features.sizes());
  const auto labels = as_multi_hot(load_npy(labels_path), labels_path);
  if (labels.size(0) != features.size(0))
    fail("'{}' holds {} feature rows but '{}' holds {} labels", features_path, features.size(0),
         labels_path, labels.size(0));
  Dataset out;
  out.name = features_path;
  out.features = features;
  out.labels = labels;
  out.validate();
  return out;
}

Dataset make_synthetic(int64_t classes, int64_t per_class, int64_t dim, double spread, uint64_t seed) {
  if (classes < 1 || per_class < 1 || dim < 1)
    fail("synthetic data needs classes, per_class and dim >= 1 (got {}, {}, {})", classes, per_class, dim);
  constexpr int64_t kMaxValues = int64_t{1} << 31;  // 8 GiB of float32
  if (classes > kMaxLabels || per_class > kMaxValues / classes || dim > kMaxValues / (classes * per_class))
    fail("synthetic data of {} classes x {} points x {} dimensions is past the limit of {} values (or {} classes)",
         classes, per_class, dim, kMaxValues, kMaxLabels);
  auto gen = at::detail::createCPUGenerator(seed);
  const auto centres = at::randn({classes, dim}, gen);
  const auto ids = torch::arange(classes).repeat_interleave(per_class);
  Dataset out;
  out.name = "synthetic";
  out.features = (centres.index_select(0, ids) + spread * at::randn({classes * per_class, dim}, gen)).contiguous();
  out.labels = one_hot_labels(ids, classes, "synthetic");
  out.validate();
  return out;
}

}  // namespace hashrl
