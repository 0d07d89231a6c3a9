#include "hashrl/envs/env_registry.h"

#include "hashrl/envs/hash_env.h"  // kHashEnvName

namespace hashrl {

namespace {

KeyTable shared_keys;
const auto kKind = shared_keys.name_of("kind", kHashEnvName, "an env (below)", "the env, from the env registry");

}  // namespace

const KeyTable& env_keys() { return shared_keys; }

std::string env_kind(const Config& config) { return env_registry().name_in(kKind, ConfigSection(config, "env")); }

// The built-ins, each registered by a function in its own file (docs/extending.md: why by name).
void register_hash_env(EnvRegistry& registry);
void register_target_code_env(EnvRegistry& registry);

EnvRegistry& env_registry() {
  static EnvRegistry registry = [] {
    EnvRegistry r("env");
    register_hash_env(r);
    register_target_code_env(r);
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
