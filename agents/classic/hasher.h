#pragma once
// Classic hashing methods that are fitted once, in closed form or by a few alternating steps, on
// the training split's features — the non-RL baselines of the paper's tables. One small interface,
// many implementations (as FAISS keeps its indexes):
//
//   lsh  random projections of the centred features (Charikar 2002)
//   itq  PCA, then the rotation that minimises the quantization loss (Gong & Lazebnik 2011)
//   sh   spectral hashing: sinusoids along the principal directions (Weiss et al. 2008)
//   sdh  supervised discrete hashing: RBF-anchor features, codes that classify (Shen et al. 2015)
//
// A hasher is a torch module whose fitted state lives in buffers, so that checkpoints hold it.
// HasherAgent (hasher_agent.h) turns one into an Agent; `[agent] kind = itq` selects it.
#include <torch/nn/module.h>

#include <memory>
#include <string>

#include "hashrl/common/config.h"
#include "hashrl/common/registry.h"

namespace hashrl {

class Hasher : public torch::nn::Module {
 public:
  // Fits the hash functions on training features [N, D] (float) and labels [N, L] (multi-hot;
  // only supervised hashers read them).
  virtual void fit(const torch::Tensor& features, const torch::Tensor& labels) = 0;
  // Real-valued scores [N, q] of features [N, D]: bit j is 1 where score j > 0.
  virtual torch::Tensor project(const torch::Tensor& features) = 0;
};

// What a hasher needs to know to be built: its input width D and code length q.
struct HasherShape {
  int64_t feature_dim = 0, code_length = 0;
};

// Factories read their options from the [agent] section (seed, iterations, anchors, ...).
using HasherRegistry = Registry<std::shared_ptr<Hasher>, const ConfigSection&, const HasherShape&>;
// Built in: lsh, itq, sh, sdh.
HasherRegistry& hasher_registry();

}  // namespace hashrl
