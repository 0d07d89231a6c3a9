#include "hashrl/agents/classic/hasher.h"

#include "hashrl/agents/classic/hasher_options.h"

namespace hashrl {

HasherRegistry& hasher_registry() {
  // Registered here, not by static objects in each file: a static library drops object files
  // that nothing references, and their registrations with them.
  static HasherRegistry registry = [] {
    HasherRegistry r("hasher");
    r.add("lsh", [](const ConfigSection& s, const HasherShape& shape) { return make_lsh_hasher(shape, LshOptions::from_config(s)); },
          "random projections of the centred features", &LshOptions::keys());
    r.add("itq", [](const ConfigSection& s, const HasherShape& shape) { return make_itq_hasher(shape, ItqOptions::from_config(s)); },
          "iterative quantization: PCA + the rotation with the least quantization loss", &ItqOptions::keys());
    r.add("sh", [](const ConfigSection&, const HasherShape& shape) { return make_spectral_hasher(shape); },
          "spectral hashing along the principal directions");
    r.add("sdh", [](const ConfigSection& s, const HasherShape& shape) { return make_sdh_hasher(shape, SdhOptions::from_config(s)); },
          "supervised discrete hashing on RBF-anchor features", &SdhOptions::keys());
    return r;
  }();
  return registry;
}

}  // namespace hashrl
