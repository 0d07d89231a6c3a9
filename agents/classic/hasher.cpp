#include "hashrl/agents/classic/hasher.h"

namespace hashrl {

// The built-ins, each registered by a function in its own file (docs/extending.md: why by name).
void register_lsh(HasherRegistry& registry);
void register_itq(HasherRegistry& registry);
void register_spectral_hashing(HasherRegistry& registry);
void register_sdh(HasherRegistry& registry);

HasherRegistry& hasher_registry() {
  static HasherRegistry registry = [] {
    HasherRegistry r("hasher");
    register_lsh(r);
    register_itq(r);
    register_spectral_hashing(r);
    register_sdh(r);
    return r;
  }();
  return registry;
}

}  // namespace hashrl
