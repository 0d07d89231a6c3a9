#pragma once
// Triplet sampling from labels, kept apart from the rewards that score the triplets (as miners
// and losses are in pytorch-metric-learning). A triplet (anchor, positive, negative) has a
// positive that shares at least one label with the anchor and a negative that shares none.
#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include "hashrl/common/registry.h"

namespace hashrl {

// Indices (int64 [B]) into the rows of the labels the sampler was built on.
struct Triplets {
  torch::Tensor anchor, positive, negative;
};

class TripletSampler {
 public:
  virtual ~TripletSampler() = default;
  virtual Triplets sample(int64_t count) = 0;
  virtual void seed(uint64_t seed) = 0;
  // The random state as text, so that a checkpoint can resume the exact sequence of batches.
  virtual std::string state() const = 0;
  virtual void set_state(const std::string& state) = 0;
};

// Anchors uniformly among the items that have both a positive and a negative; positive and
// negative uniformly among the anchor's valid partners. Works for single- and multi-label data.
class RandomTripletSampler : public TripletSampler {
 public:
  // `labels`: multi-hot uint8 [N, L]. Throws when no item has both a positive and a negative.
  RandomTripletSampler(const torch::Tensor& labels, uint64_t seed);

  Triplets sample(int64_t count) override;
  void seed(uint64_t seed) override { rng_.seed(seed); }
  std::string state() const override;
  void set_state(const std::string& state) override;

 private:
  int64_t draw_partner(int64_t anchor, bool want_shared);
  bool shares_label(int64_t a, int64_t b) const;

  torch::Tensor labels_;            // contiguous uint8 [N, L]
  std::vector<int64_t> anchors_;    // items with a positive and a negative
  std::mt19937_64 rng_;
};

// Samplers by name, built from the [sampler] section, the training items' labels (multi-hot uint8
// [N, L]) and the run's seed. Built in: random (above).
using SamplerRegistry = Registry<std::unique_ptr<TripletSampler>, const ConfigSection&, const torch::Tensor&, uint64_t>;
SamplerRegistry& sampler_registry();
// The [sampler] keys every sampler shares (kind).
const KeyTable& sampler_keys();

// Builds the sampler named by `section.kind` (default "random").
std::unique_ptr<TripletSampler> make_triplet_sampler(const ConfigSection& section,
                                                     const torch::Tensor& labels, uint64_t seed);

}  // namespace hashrl
