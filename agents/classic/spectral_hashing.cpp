// Spectral hashing (Weiss, Torralba & Fergus, NIPS 2008). After PCA to r = min(q, D) directions,
// the data are taken as uniform on the box [mn, mx]. The Laplacian's eigenfunctions on a box are
// the sinusoids cos(k pi (y_i - mn_i) / (mx_i - mn_i)) along one direction i, with eigenvalue
// growing as (k pi / (mx_i - mn_i))^2; each bit thresholds one of the q with the smallest
// eigenvalues (k >= 1: the constant k = 0 splits nothing). Long directions therefore get several
// bits, at increasing frequencies.
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "hashrl/agents/classic/hasher_options.h"
#include "hashrl/agents/classic/pca.h"

namespace hashrl {
namespace {

class SpectralHasher : public Hasher {
 public:
  explicit SpectralHasher(const HasherShape& shape) {
    const int64_t r = std::min(shape.code_length, shape.feature_dim);
    mean_ = register_buffer("mean", torch::zeros({shape.feature_dim}));
    components_ = register_buffer("components", torch::zeros({shape.feature_dim, r}));
    lower_ = register_buffer("lower", torch::zeros({r}));
    direction_ = register_buffer("direction", torch::zeros({shape.code_length}, torch::kLong));
    frequency_ = register_buffer("frequency", torch::zeros({shape.code_length}));
  }

  void fit(const torch::Tensor& features, const torch::Tensor&) override {
    const int64_t q = frequency_.size(0), r = components_.size(1);
    const auto pca = fit_pca(features, r);
    const auto y = (features - pca.mean).mm(pca.components).to(torch::kFloat64).cpu();
    constexpr double kMargin = 1e-6;  // keeps every training point strictly inside the box
    const auto lower = std::get<0>(y.min(0)) - kMargin;
    const auto extent = std::get<0>(y.max(0)) + kMargin - lower;
    const auto* length = extent.data_ptr<double>();
    const double longest = extent.max().item<double>();

    struct Mode {
      double frequency;  // k pi / length: the eigenvalue grows with its square
      int64_t direction;
    };
    std::vector<Mode> modes;
    for (int64_t i = 0; i < r; ++i) {
      // Enough modes per direction that the q smallest are among them (Weiss et al.'s bound).
      const auto max_mode = static_cast<int64_t>(std::ceil((q + 1) * length[i] / longest));
      for (int64_t k = 1; k <= max_mode; ++k) modes.push_back({k * M_PI / length[i], i});
    }
    std::stable_sort(modes.begin(), modes.end(),
                     [](const Mode& a, const Mode& b) { return a.frequency < b.frequency; });
    for (int64_t j = 0; j < q; ++j) {
      direction_[j] = modes[j].direction;
      frequency_[j] = modes[j].frequency;
    }
    mean_.copy_(pca.mean);
    components_.copy_(pca.components);
    lower_.copy_(lower);
  }

  torch::Tensor project(const torch::Tensor& features) override {
    const auto y = (features - mean_).mm(components_) - lower_;
    return torch::cos(y.index_select(1, direction_) * frequency_);
  }

 private:
  torch::Tensor mean_, components_, lower_, direction_, frequency_;
};

}  // namespace

std::shared_ptr<Hasher> make_spectral_hasher(const HasherShape& shape) {
  return std::make_shared<SpectralHasher>(shape);
}

void register_spectral_hashing(HasherRegistry& registry) {
  registry.add("sh", [](const ConfigSection&, const HasherShape& shape) { return make_spectral_hasher(shape); },
               "spectral hashing along the principal directions");
}

}  // namespace hashrl
