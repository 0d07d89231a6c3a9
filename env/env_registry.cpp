#include "hashrl/env/env_registry.h"

#include "hashrl/env/hash_env.h"

namespace hashrl {

namespace {

KeyTable shared_keys;
const auto kKind = shared_keys.name_of("kind", kHashEnvName, "an env (below)", "the env, from the env registry");

std::unique_ptr<Env> make_hash_env(const Config& config, const LoadedData& data) {
  // [train] seed, declared with the trainer's keys (train/trainer.cpp), seeds the env's draws too.
  const auto seed = static_cast<uint64_t>(config.get_int("train.seed", 0, 0));
  const auto options = HashEnvOptions::from_config(ConfigSection(config, "env")).seed(seed);
  auto train = data.data.subset(data.split.train);
  auto encoder = make_encoder(ConfigSection(config, "encoder"), EncoderInput::of(train));
  auto reward = make_reward(ConfigSection(config, "reward"));
  auto sampler = make_triplet_sampler(ConfigSection(config, "sampler"), train.labels, seed);
  return std::make_unique<HashEnv>(options, std::move(train), std::move(encoder), std::move(reward),
                                   std::move(sampler));
}

}  // namespace

const KeyTable& env_keys() { return shared_keys; }

std::string env_kind(const Config& config) { return env_registry().name_in(kKind, ConfigSection(config, "env")); }

EnvRegistry& env_registry() {
  static EnvRegistry registry = [] {
    EnvRegistry r("env");
    r.add(kHashEnvName, make_hash_env, "the DRLIH MDP over triplets of the training split", &hash_env_keys());
    return r;
  }();
  return registry;
}

std::unique_ptr<Env> make_env(const std::string& name, const Config& config, const LoadedData& data) {
  return env_registry().create(name, config, data);
}

std::unique_ptr<Env> make_env(const std::string& name, const Config& config) {
  return make_env(name, config, load_data(ConfigSection(config, "data")));
}

}  // namespace hashrl
