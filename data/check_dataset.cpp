#include <fmt/format.h>
#include <torch/torch.h>

#include "hashrl/data/check_dataset.h"

namespace hashrl {

CheckReport check_dataset(const Dataset& data) {
  CheckReport report;
  report.name = "check_dataset";
  Checker check(report);
  check.guarded("validate()", [&] {
    data.validate();
    check.expect(true, "validate() holds");
  });
  check.guarded("contents", [&] {
    check.expect(data.size() > 0, "at least one item");
    check.expect(data.labels.scalar_type() == torch::kUInt8 && data.labels.le(1).all().item<bool>(),
                 "labels are uint8 in {0, 1}");
    const auto unlabelled = data.labels.sum(1).eq(0).sum().item<int64_t>();
    check.expect(unlabelled == 0, "every item has a label", fmt::format("{} items have none", unlabelled));
    if (data.has_images())
      check.expect(data.images.scalar_type() == torch::kUInt8 && data.images.dim() == 4, "images are uint8 [N, C, H, W]");
    else
      check.expect(data.features.is_floating_point() && torch::isfinite(data.features).all().item<bool>(),
                   "features are finite floats");
  });
  return report;
}

}  // namespace hashrl
