#pragma once
// A HashEnv small enough for a unit test that runs a real image encoder: 40 random 28 x 28
// grey images of 4 classes, encoded as config's [encoder] says (a small VGG-19-BN in the tests),
// rewarded by its [reward], 8 bits in 2 steps of 4, 4 triplets a batch.
#include <memory>
#include <string>

#include "hashrl/common/config.h"
#include "hashrl/envs/hash_env.h"

namespace hashrl::test {

std::unique_ptr<HashEnv> tiny_image_env(const Config& config, int64_t samples_per_state = 1);

// The config those tests share: a VGG-19-BN at an eighth of the width, trainable or frozen, the
// center reward of the emitted bits and a 16-wide policy; `more` is appended ("[learner]\n...").
Config tiny_image_config(bool trainable, const std::string& more = "");

}  // namespace hashrl::test
