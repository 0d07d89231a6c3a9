#include "hashrl/agents/classic/hasher.h"

#include "hashrl/agents/classic/hasher_factories.h"

namespace hashrl {

HasherRegistry& hasher_registry() {
  // Registered here, not by static objects in each file: a static library drops object files
  // that nothing references, and their registrations with them.
  static HasherRegistry registry = [] {
    HasherRegistry r("hasher");
    r.add("lsh", make_lsh_hasher, "random projections of the centred features", &lsh_hasher_keys());
    r.add("itq", make_itq_hasher, "iterative quantization: PCA + the rotation with the least quantization loss",
          &itq_hasher_keys());
    r.add("sh", make_spectral_hasher, "spectral hashing along the principal directions");
    r.add("sdh", make_sdh_hasher, "supervised discrete hashing on RBF-anchor features", &sdh_hasher_keys());
    return r;
  }();
  return registry;
}

}  // namespace hashrl
