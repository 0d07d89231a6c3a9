// Data sets that arrive as feature vectors: .npy files a user brings, and synthetic clusters.
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/common/limits.h"
#include "hashrl/common/npy.h"
#include "hashrl/data/data_source.h"
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

namespace {
KeyTable npy_keys;
const auto kFeaturesPath = npy_keys.text("path", "", "features .npy, float32 [N, D] (required)");
const auto kLabelsPath = npy_keys.text("labels", "", "labels .npy, class ids [N] or multi-hot [N, L] (required)");

KeyTable synthetic_keys;
const auto kSynClasses = synthetic_keys.integer("synthetic.classes", 10, 1, kMaxLabels, "clusters");
const auto kSynPerClass = synthetic_keys.integer("synthetic.per_class", 100, 1, INT64_MAX, "points per cluster");
const auto kSynDim = synthetic_keys.integer("synthetic.dim", 32, 1, INT64_MAX, "dimensions");
const auto kSynSpread = synthetic_keys.real("synthetic.spread", 0.5, 0, 1e308, "noise around each centre");
const auto kSynSeed = synthetic_keys.integer("synthetic.seed", 0, 0, INT64_MAX, "seed of the centres and noise");
}  // namespace

void register_feature_readers(DataReaderRegistry& registry) {
  registry.add("npy", [](const ConfigSection& s) {
    return read_npy_features(required_path(kFeaturesPath, s, "features .npy"), required_path(kLabelsPath, s, "labels .npy"));
  }, "precomputed features and labels as .npy", &npy_keys);
  registry.add("synthetic", [](const ConfigSection& s) {
    return make_synthetic(kSynClasses(s), kSynPerClass(s), kSynDim(s), kSynSpread(s), static_cast<uint64_t>(kSynSeed(s)));
  }, "Gaussian clusters, for tests", &synthetic_keys);
}

}  // namespace hashrl
