#include <fmt/format.h>
#include <torch/torch.h>

#include "hashrl/testing/conformance.h"

namespace hashrl {

CheckReport check_hasher(Hasher& hasher, const torch::Tensor& features, const torch::Tensor& labels) {
  CheckReport report;
  report.name = "check_hasher";
  Checker check(report);
  check.guarded("fit and project", [&] {
    torch::NoGradGuard no_grad;
    hasher.fit(features, labels);
    const auto scores = hasher.project(features);
    check.expect(scores.dim() == 2 && scores.size(0) == features.size(0), "scores are [N, q]",
                 fmt::format("{}", scores.sizes()));
    check.expect(torch::isfinite(scores).all().item<bool>(), "scores are finite");
    check.expect(scores.equal(hasher.project(features)), "scores are the same twice");
    const auto bits = scores.gt(0);
    const auto ones = bits.sum(0);
    const auto degenerate = ones.eq(0).logical_or(ones.eq(features.size(0))).sum().item<int64_t>();
    check.expect(degenerate == 0, "every bit takes both values on the data it was fitted on",
                 fmt::format("{} of {} bits are constant", degenerate, scores.size(1)));
    hasher.fit(features, labels);
    check.expect(scores.equal(hasher.project(features)), "a second fit on the same data gives the same scores");
  });
  return report;
}

}  // namespace hashrl
