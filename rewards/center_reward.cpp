#include "hashrl/rewards/center_reward.h"

#include <torch/torch.h>

#include <cmath>
#include <random>

#include "hashrl/common/error.h"

namespace hashrl {
namespace {

const CenterRewardOptions kDefaults;
KeyTable keys;
const auto kSeed = keys.integer("seed", kDefaults.seed(), 0, INT64_MAX, "seed of the labels' hash centres");
const auto kDraws = keys.integer("draws", kDefaults.draws(), 1, 100000,
                                 "sets of centres drawn; the one whose closest two are farthest apart is kept");

// Probabilities are kept this far from 0 and 1 so that the cross-entropy stays finite.
constexpr double kEps = 1e-6;

// A triplet's reward from its three images' [3B]: their mean, [B].
torch::Tensor triplet_mean(const torch::Tensor& per_image) {
  const auto t = split_triplets(per_image.unsqueeze(1));
  return ((t.anchor + t.positive + t.negative) / 3.0).squeeze(1);
}

}  // namespace

CenterRewardOptions CenterRewardOptions::from_config(const ConfigSection& section) {
  auto o = CenterRewardOptions()
               .scoring(ScoringOptions::from_config(section))
               .seed(kSeed(section))
               .draws(kDraws(section));
  o.validate();
  return o;
}

void CenterRewardOptions::validate() const {
  scoring().validate();
  if (seed() < 0) fail("center reward option seed must be >= 0, got {}", seed());
  if (draws() < 1) fail("center reward option draws must be >= 1, got {}", draws());
}

torch::Tensor hash_centers(int64_t labels, int64_t bits, int64_t seed, int64_t draws) {
  if (labels < 1 || bits < 1) fail("hash centres need at least one label and one bit, got {} and {}", labels, bits);
  std::mt19937_64 rng(static_cast<uint64_t>(seed));
  std::bernoulli_distribution coin(0.5);
  torch::Tensor best;
  int64_t best_distance = -1;
  for (int64_t d = 0; d < draws; ++d) {
    auto set = torch::empty({labels, bits}, torch::kFloat32);
    auto* p = set.data_ptr<float>();
    for (int64_t i = 0; i < labels * bits; ++i) p[i] = coin(rng) ? 1.0f : 0.0f;
    // Pairwise Hamming distances from the inner products of {0, 1} rows.
    const auto distance = set.sum(1, true) + set.sum(1, true).t() - 2 * set.mm(set.t());
    const auto off_diagonal = distance + torch::eye(labels) * static_cast<double>(bits + 1);
    const int64_t closest = labels == 1 ? bits : static_cast<int64_t>(off_diagonal.min().item<float>());
    if (closest > best_distance) best_distance = closest, best = set;
  }
  return best;
}

CenterReward::CenterReward(CenterRewardOptions options) : options_(std::move(options)) { options_.validate(); }

CenterReward::CenterReward(const ConfigSection& section) : CenterReward(CenterRewardOptions::from_config(section)) {
  codes_key_ = section.key("codes");
}

RewardReads CenterReward::reads() const { return reads_of(options_.scoring().codes(), codes_key_); }

torch::Tensor CenterReward::targets(const torch::Tensor& labels, int64_t bits) const {
  if (!labels.defined() || labels.dim() != 2)
    fail("the center reward needs the images' labels, multi-hot [3B, L], in RewardInput.labels");
  torch::Tensor centers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!centers_.defined() || centers_.size(0) != labels.size(1) || centers_.size(1) != bits)
      centers_ = hash_centers(labels.size(1), bits, options_.seed(), options_.draws());
    centers = centers_;
  }
  const auto l = labels.to(torch::kFloat32);
  const auto count = l.sum(1, true);
  if ((count == 0).any().item<bool>()) fail("the center reward needs at least one label for every image");
  return l.mm(centers.to(labels.device())) / count;
}

torch::Tensor CenterReward::score(const Codes& codes, const torch::Tensor& labels, int64_t bits, int64_t first) const {
  const auto target = targets(labels, bits).slice(1, first, first + codes.bits.size(1)).to(codes.bits.dtype());
  const auto of_bits = [&](const torch::Tensor& c) { return triplet_mean(-(c - target).abs().mean(1)); };
  const auto of_probs = [&](const torch::Tensor& c) {
    return triplet_mean(-torch::binary_cross_entropy(c.clamp(kEps, 1 - kEps), target, {}, at::Reduction::None).mean(1));
  };
  switch (options_.scoring().codes()) {
    case ScoredCodes::kBits: return of_bits(codes.bits);
    case ScoredCodes::kProbs: return of_probs(codes.probs);
    case ScoredCodes::kBoth: break;
  }
  // The bits' value, the cross-entropy's gradient (two measures of one disagreement).
  const auto relaxed = of_probs(codes.probs);
  return of_bits(codes.bits).detach() + (relaxed - relaxed.detach());
}

torch::Tensor CenterReward::group_reward(const RewardInput& input) const {
  const auto k = input.group.probs.size(1);
  return options_.scoring().group_weight() * score(input.group, input.labels, k * input.num_steps, k * input.step);
}

torch::Tensor CenterReward::global_reward(const RewardInput& input) const {
  const auto k = input.group.probs.size(1);
  return options_.scoring().global_weight() * score(input.emitted, input.labels, k * input.num_steps, 0);
}

void register_center_reward(RewardRegistry& registry) {
  // Composed at first use, when every file's key tables are initialised.
  static const KeyTable table = with_scoring_keys(keys);
  registry.add("center", [](const ConfigSection& s) { return std::make_shared<CenterReward>(s); },
               "agreement with each label's hash centre (central similarity)", &table);
}

}  // namespace hashrl
