#include <fmt/format.h>
#include <torch/torch.h>

#include "hashrl/rewards/check_reward.h"

namespace hashrl {
namespace {

// Triplet i is images (i, B + i, 2B + i); each triplet has labels of its own, anchor and positive
// sharing one, the negative another, so a miner finds exactly one positive per anchor.
torch::Tensor triplet_labels(int64_t batch) {
  const auto own = torch::arange(batch) * 2;
  return torch::one_hot(torch::cat({own, own, own + 1}), 2 * batch).to(torch::kUInt8);
}

// Codes [3B, m] with the positives set to `positive` and the negatives to `negative` (functions of
// the anchors), relaxed and binary alike.
Codes triplet_codes(const torch::Tensor& anchors, bool good) {
  const auto complement = 1 - anchors;
  auto probs = good ? torch::cat({anchors, anchors, complement}) : torch::cat({anchors, complement, anchors});
  probs = probs.detach().requires_grad_(true);
  return {probs, probs.detach().gt(0.5).to(torch::kFloat32)};
}

RewardInput input_of(const Codes& codes, const torch::Tensor& labels, int64_t step, int64_t num_steps) {
  RewardInput in;
  in.group = codes;
  in.emitted = codes;
  in.step = step;
  in.num_steps = num_steps;
  in.labels = labels;
  return in;
}

}  // namespace

CheckReport check_reward(const Reward& reward, int64_t batch, int64_t bits, uint64_t seed) {
  CheckReport report;
  report.name = "check_reward";
  Checker check(report);
  auto gen = at::detail::createCPUGenerator(seed);
  const auto labels = triplet_labels(batch);
  const auto anchors = at::rand({batch, bits}, gen);
  const auto random = at::rand({3 * batch, bits}, gen).requires_grad_(true);
  const Codes random_codes{random, random.detach().gt(0.5).to(torch::kFloat32)};

  for (const bool global : {false, true}) {
    const std::string which = global ? "global reward" : "group reward";
    const auto score = [&](const Codes& codes) {
      const auto in = input_of(codes, labels, global ? 1 : 0, 2);
      return global ? reward.global_reward(in) : reward.group_reward(in);
    };
    check.guarded(which, [&] {
      const auto r = score(random_codes);
      check.expect(r.dim() == 1 && r.size(0) == batch && r.scalar_type() == torch::kFloat32, which + " is float [B]",
                   fmt::format("{} {}", r.sizes(), std::string(c10::toString(r.scalar_type()))));
      check.expect(torch::isfinite(r).all().item<bool>(), which + " is finite");
      check.expect(r.detach().equal(score(random_codes).detach()), which + " is the same twice");
      if (r.requires_grad()) {
        const auto grad = torch::autograd::grad({r.sum()}, {random}, {}, false, false, true)[0];
        check.expect(!grad.defined() || torch::isfinite(grad).all().item<bool>(),
                     which + ": the gradient through the relaxed codes is finite");
      }
      if (!reward.relational()) return;
      // One triplet at a time, so that a miner has nothing to re-pair it with.
      const auto one = triplet_labels(1);
      const auto score_one = [&](const Codes& codes) {
        const auto in = input_of(codes, one, global ? 1 : 0, 2);
        return (global ? reward.global_reward(in) : reward.group_reward(in)).detach();
      };
      double worst = 0;
      for (int64_t i = 0; i < batch; ++i) {
        const auto anchor = anchors.slice(0, i, i + 1);
        worst = std::max(worst, (score_one(triplet_codes(anchor, false)) - score_one(triplet_codes(anchor, true))).max().item<double>());
      }
      check.expect(worst <= 1e-5,
                   which + ": a triplet whose positive is its anchor scores no worse than one whose negative is",
                   fmt::format("worst gap {}", worst));
    });
  }
  return report;
}

}  // namespace hashrl
