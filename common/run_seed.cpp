#include "hashrl/common/run_seed.h"

namespace hashrl {
namespace {

// Function-local: the trainer's key table appends this one during its own static initialisation,
// which may run before this file's.
struct SeedKey {
  KeyTable table;
  Key<int64_t> key = table.integer("seed", static_cast<int64_t>(kDefaultSeed), 0, INT64_MAX,
                                   "seeds torch, the triplet sampler and the env's draws");
};

const SeedKey& seed_key() {
  static const SeedKey key;
  return key;
}

}  // namespace

const KeyTable& run_seed_keys() { return seed_key().table; }

uint64_t run_seed(const ConfigSection& train) { return static_cast<uint64_t>(seed_key().key(train)); }

uint64_t run_seed(const Config& config) { return run_seed(ConfigSection(config, "train")); }

}  // namespace hashrl
