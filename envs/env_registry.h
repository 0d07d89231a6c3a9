#pragma once
// Environments by name, like gymnasium.make: a config's [env] kind picks one.
//
//   auto data = hashrl::load_data(ConfigSection(config, "data"));
//   auto env = hashrl::make_env("HashEnv-v0", config, data);
#include <memory>

#include "hashrl/common/registry.h"
#include "hashrl/data/data_source.h"
#include "hashrl/encoders/encoder.h"
#include "hashrl/env/env.h"

namespace hashrl {

using EnvRegistry = Registry<std::unique_ptr<Env>, const Config&, const LoadedData&>;
EnvRegistry& env_registry();

// The [env] keys every env shares (kind); each env's own are in the registry.
const KeyTable& env_keys();

// The env a config's [env] kind names: HashEnv-v0 unless told otherwise; an unknown name is an
// error naming the key.
std::string env_kind(const Config& config);

// Builds env `name` from the config's [env], [encoder], [reward] and [sampler] sections over
// the training split of `data`. The seed of the triplet sampler is train.seed.
std::unique_ptr<Env> make_env(const std::string& name, const Config& config, const LoadedData& data);
// Reads the data ([data]) too.
std::unique_ptr<Env> make_env(const std::string& name, const Config& config);

}  // namespace hashrl
