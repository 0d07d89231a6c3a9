#pragma once
// The classic hashers built from code: each one's options (TORCH_ARG, one `///` line a field), read
// from a config by from_config (the [agent] keys docs/config.md lists under the kind), and a
// validate() that config-built and code-built options both pass through, naming the option and the
// values it allows. hasher_registry() builds the same hashers from a config.
//
//   auto sdh = make_sdh_hasher({/*feature_dim=*/512, /*code_length=*/48}, SdhOptions().anchors(300));
//   sdh->fit(features, labels);
#include <torch/arg.h>

#include <memory>

#include "hashrl/agents/classic/hasher.h"
#include "hashrl/common/keys.h"

namespace hashrl {

struct LshOptions {
  /// The [agent] keys of kind lsh (docs/config.md).
  static const KeyTable& keys();
  static LshOptions from_config(const ConfigSection& section);
  /// Throws naming the option when a value is not allowed (code-built options too).
  void validate() const {}
  /// Seed of the random planes.
  TORCH_ARG(uint64_t, seed) = 0;
};

struct ItqOptions {
  /// The [agent] keys of kind itq.
  static const KeyTable& keys();
  static ItqOptions from_config(const ConfigSection& section);
  /// Throws naming the option when a value is not allowed (code-built options too).
  void validate() const;
  /// Rotation updates, 0 to 100000 (0: PCA hashing, no rotation).
  TORCH_ARG(int64_t, iterations) = 50;
  /// Seed of the initial rotation.
  TORCH_ARG(uint64_t, seed) = 0;
};

struct SdhOptions {
  /// The [agent] keys of kind sdh.
  static const KeyTable& keys();
  static SdhOptions from_config(const ConfigSection& section);
  /// Throws naming the option when a value is not allowed (code-built options too).
  void validate() const;
  /// RBF anchors drawn from the training items (at most their number), 1 to 1000000.
  TORCH_ARG(int64_t, anchors) = 1000;
  /// Outer G/F/B rounds, 1 to 100000.
  TORCH_ARG(int64_t, iterations) = 5;
  /// Sweeps of the discrete cyclic coordinate descent over the bits per round, 1 to 100000.
  TORCH_ARG(int64_t, bit_sweeps) = 3;
  /// Ridge weight on the classifier W, finite and >= 0.
  TORCH_ARG(double, lambda) = 1.0;
  /// Weight of the hash-function fit ||B - phi(X) P||^2, finite and >= 0.
  TORCH_ARG(double, nu) = 1e-5;
  /// Ridge weight of the F-step's solve, finite and > 0 (not a config key: it only keeps the solve
  /// well posed).
  TORCH_ARG(double, delta) = 1e-2;
  /// Seed of the anchors' draw.
  TORCH_ARG(uint64_t, seed) = 0;
};

std::shared_ptr<Hasher> make_lsh_hasher(const HasherShape& shape, const LshOptions& options);
std::shared_ptr<Hasher> make_itq_hasher(const HasherShape& shape, const ItqOptions& options);
std::shared_ptr<Hasher> make_sdh_hasher(const HasherShape& shape, const SdhOptions& options);
// Spectral hashing has no options: everything it uses is fitted.
std::shared_ptr<Hasher> make_spectral_hasher(const HasherShape& shape);

}  // namespace hashrl
