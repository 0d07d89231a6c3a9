#pragma once
// Mining within the batch: after the agent has acted, each anchor is re-paired with partners
// chosen among all 3B images of the batch by the distances between the codes being scored, as
// miners pick tuples for a loss in pytorch-metric-learning. Random triplets soon satisfy the
// margin and stop teaching anything; mined ones keep the reward informative.
//
// A miner returns rows into the batch, int64 [3B] in the batch layout of reward.h: the anchors
// unchanged (rows 0..B-1), then each anchor's positive, then its negative. Codes indexed by them
// are a triplet batch again, so any CodeReward scores them unchanged (code_reward.h).
//
// The reward of triplet i then depends on images outside triplet i: the pathwise gradient stays
// exact, while the score-function term still credits triplet i's own three images.
#include <torch/types.h>

#include <memory>
#include <string>

#include "hashrl/common/registry.h"

namespace hashrl {

class TripletMiner {
 public:
  virtual ~TripletMiner() = default;
  // `codes` float [3B, m] (read without autograd), `labels` multi-hot uint8 [3B, L] -> rows [3B].
  virtual torch::Tensor rows(const torch::Tensor& codes, const torch::Tensor& labels) const = 0;
};

// Miners by name, built from the reward's section: the names a reward's `miner` key takes.
// Built in: "hard", batch-hard (Hermans et al., 2017), the farthest positive and the closest
// negative; "semihard", the anchor's own positive and the closest negative not closer than that
// positive (FaceNet's choice), where every negative is closer the farthest of them; "none",
// nullptr: the sampler's triplets as they are. Add your own with miner_registry().add(...).
using MinerRegistry = Registry<std::shared_ptr<const TripletMiner>, const ConfigSection&>;
MinerRegistry& miner_registry();

// The miner `kind` names, built with no options; nullptr for "none".
std::shared_ptr<const TripletMiner> make_triplet_miner(const std::string& kind);

}  // namespace hashrl
