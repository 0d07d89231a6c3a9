#include "hashrl/envs/triplet_sampler.h"

#include <torch/torch.h>

#include <sstream>

#include "hashrl/common/config.h"
#include "hashrl/common/error.h"

namespace hashrl {

RandomTripletSampler::RandomTripletSampler(const torch::Tensor& labels, uint64_t seed)
    : labels_(labels.to(torch::kCPU, torch::kUInt8).contiguous()), rng_(seed) {
  if (labels_.dim() != 2 || labels_.size(0) == 0)
    fail("triplet sampling needs multi-hot labels [N, L] with N > 0, got {}", labels_.sizes());
  // How many items share a label with each item (itself included), in row blocks so that memory
  // stays at block x N however large N is.
  const int64_t n = labels_.size(0);
  const auto l = labels_.to(torch::kFloat32);
  const auto has_label_tensor = (l.sum(1) > 0).contiguous();
  const bool* has_label = has_label_tensor.data_ptr<bool>();
  for (int64_t begin = 0; begin < n; begin += 4096) {
    const int64_t end = std::min(n, begin + 4096);
    const auto shared = (l.slice(0, begin, end).mm(l.t()) > 0).sum(1);
    const auto* s = shared.data_ptr<int64_t>();
    for (int64_t i = begin; i < end; ++i) {
      const bool positive = has_label[i] && s[i - begin] >= 2;
      const bool negative = s[i - begin] < n;
      if (positive && negative) anchors_.push_back(i);
    }
  }
  if (anchors_.empty())
    fail("no valid triplet exists in these {} items: none has both an item that shares a label "
         "and one that shares none", n);
}

bool RandomTripletSampler::shares_label(int64_t a, int64_t b) const {
  const int64_t width = labels_.size(1);
  const auto* la = labels_.data_ptr<uint8_t>() + a * width;
  const auto* lb = labels_.data_ptr<uint8_t>() + b * width;
  for (int64_t c = 0; c < width; ++c)
    if (la[c] & lb[c]) return true;
  return false;
}

int64_t RandomTripletSampler::draw_partner(int64_t anchor, bool want_shared) {
  const int64_t n = labels_.size(0);
  std::uniform_int_distribution<int64_t> any(0, n - 1);
  // Rejection sampling is exact and fast while partners are common ...
  for (int tries = 0; tries < 256; ++tries) {
    const int64_t j = any(rng_);
    if (j != anchor && shares_label(anchor, j) == want_shared) return j;
  }
  // ... and a full scan keeps rare labels exact too.
  std::vector<int64_t> partners;
  for (int64_t j = 0; j < n; ++j)
    if (j != anchor && shares_label(anchor, j) == want_shared) partners.push_back(j);
  return partners[std::uniform_int_distribution<size_t>(0, partners.size() - 1)(rng_)];
}

Triplets RandomTripletSampler::sample(int64_t count) {
  auto anchor = torch::empty({count}, torch::kInt64), positive = torch::empty({count}, torch::kInt64),
       negative = torch::empty({count}, torch::kInt64);
  std::uniform_int_distribution<size_t> pick(0, anchors_.size() - 1);
  for (int64_t b = 0; b < count; ++b) {
    const int64_t a = anchors_[pick(rng_)];
    anchor.data_ptr<int64_t>()[b] = a;
    positive.data_ptr<int64_t>()[b] = draw_partner(a, true);
    negative.data_ptr<int64_t>()[b] = draw_partner(a, false);
  }
  return {anchor, positive, negative};
}

std::string RandomTripletSampler::state() const {
  std::ostringstream out;
  out << rng_;
  return out.str();
}

void RandomTripletSampler::set_state(const std::string& state) {
  std::istringstream in(state);
  in >> rng_;
  if (!in) fail("corrupt triplet-sampler state in checkpoint");
}

namespace {
KeyTable shared_keys;
const auto kKind = shared_keys.name_of("kind", "random", "a triplet sampler (below)", "how episodes' triplets are drawn");
}  // namespace

const KeyTable& sampler_keys() { return shared_keys; }

SamplerRegistry& sampler_registry() {
  static SamplerRegistry registry = [] {
    SamplerRegistry r("triplet sampler");
    r.add("random",
          [](const ConfigSection&, const torch::Tensor& labels, uint64_t seed) -> std::unique_ptr<TripletSampler> {
            return std::make_unique<RandomTripletSampler>(labels, seed);
          },
          "uniform anchors that have a valid triplet, uniform partners");
    return r;
  }();
  return registry;
}

std::unique_ptr<TripletSampler> make_triplet_sampler(const ConfigSection& section,
                                                     const torch::Tensor& labels, uint64_t seed) {
  return sampler_registry().create(kKind, section, section, labels, seed);
}

}  // namespace hashrl
