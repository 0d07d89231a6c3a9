#pragma once
// The run's seed, `[train] seed`. torch's generator, the triplet sampler and an env's own draws all
// start from it, so it is read both by the trainer and by env factories, which sit below the train
// layer. It is declared once, here, so that both read one default and one range.

#include <cstdint>

#include "hashrl/common/config.h"
#include "hashrl/common/keys.h"

namespace hashrl {

inline constexpr uint64_t kDefaultSeed = 0;

// The one key, "seed", for [train]'s key table (which appends it).
const KeyTable& run_seed_keys();

// The seed set in [train] (`train` is that section), or kDefaultSeed.
uint64_t run_seed(const ConfigSection& train);
uint64_t run_seed(const Config& config);

}  // namespace hashrl
