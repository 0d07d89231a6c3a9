#include "hashrl/rewards/triplet_miner.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include "hashrl/common/error.h"
#include "hashrl/rewards/code_distance.h"

namespace hashrl {
namespace {

// What every miner needs: the anchors' squared distances to each image of the batch and which
// of those images are valid partners. The anchor itself is neither positive nor negative.
struct AnchorView {
  int64_t b = 0;
  torch::Tensor distance;  // float [B, 3B]
  torch::Tensor positive;  // bool [B, 3B]: shares a label, not the anchor itself
  torch::Tensor negative;  // bool [B, 3B]: shares no label
};

AnchorView view_of(const torch::Tensor& codes, const torch::Tensor& labels) {
  if (codes.dim() != 2 || codes.size(0) % 3 != 0 || labels.dim() != 2 || labels.size(0) != codes.size(0))
    fail("mining needs codes [3B, m] and labels [3B, L], got {} and {}", codes.sizes(), labels.sizes());
  AnchorView v;
  v.b = codes.size(0) / 3;
  const auto c = codes.detach().to(torch::kFloat32);
  const auto anchors = c.slice(0, 0, v.b);
  v.distance = pairwise_squared_distance(anchors, c);
  const auto l = labels.to(torch::kFloat32);
  const auto shared = l.slice(0, 0, v.b).mm(l.t()) > 0;
  const auto self = torch::eye(v.b, 3 * v.b, torch::TensorOptions().dtype(torch::kBool).device(codes.device()));
  v.positive = shared.logical_and(self.logical_not());
  v.negative = shared.logical_not();
  return v;
}

// Rows [anchors; positives; negatives]. Every anchor has its sampler partners in the batch, so
// each mask has a true entry in every row.
torch::Tensor triplet_rows(int64_t b, const torch::Tensor& positive, const torch::Tensor& negative) {
  return torch::cat({torch::arange(b, positive.options()), positive, negative});
}

const double kInf = std::numeric_limits<double>::infinity();

// For each anchor, the column of the smallest / largest distance among those `among` allows.
torch::Tensor closest(const torch::Tensor& distance, const torch::Tensor& among) {
  return distance.masked_fill(among.logical_not(), kInf).argmin(1);
}
torch::Tensor farthest(const torch::Tensor& distance, const torch::Tensor& among) {
  return distance.masked_fill(among.logical_not(), -kInf).argmax(1);
}

class BatchHardMiner : public TripletMiner {
 public:
  torch::Tensor rows(const torch::Tensor& codes, const torch::Tensor& labels) const override {
    const auto v = view_of(codes, labels);
    return triplet_rows(v.b, farthest(v.distance, v.positive), closest(v.distance, v.negative));
  }
};

class SemiHardMiner : public TripletMiner {
 public:
  torch::Tensor rows(const torch::Tensor& codes, const torch::Tensor& labels) const override {
    const auto v = view_of(codes, labels);
    const auto own_positive = torch::arange(v.b, 2 * v.b, torch::TensorOptions().dtype(torch::kInt64).device(codes.device()));
    const auto to_positive = v.distance.gather(1, own_positive.unsqueeze(1));  // [B, 1]
    const auto beyond = v.negative.logical_and(v.distance >= to_positive);
    return triplet_rows(v.b, own_positive,
                        torch::where(beyond.any(1), closest(v.distance, beyond), farthest(v.distance, v.negative)));
  }
};

}  // namespace

MinerRegistry& miner_registry() {
  static MinerRegistry registry = [] {
    MinerRegistry r("triplet miner");
    r.add("none", [](const ConfigSection&) { return std::shared_ptr<const TripletMiner>(); },
          "the sampler's triplets as they are");
    r.add("hard", [](const ConfigSection&) { return std::make_shared<const BatchHardMiner>(); },
          "batch-hard: the farthest positive and the closest negative in the batch");
    r.add("semihard", [](const ConfigSection&) { return std::make_shared<const SemiHardMiner>(); },
          "the anchor's positive and the closest negative beyond it (FaceNet)");
    return r;
  }();
  return registry;
}

std::shared_ptr<const TripletMiner> make_triplet_miner(const std::string& kind) {
  static const Config none;
  return miner_registry().create(kind, ConfigSection(none, "reward"));
}

}  // namespace hashrl
