#include "hashrl/policies/policy.h"

#include "hashrl/common/error.h"

namespace hashrl {

void Policy::check_features(const torch::Tensor& features) const {
  if (features.dim() != 2 || features.size(1) != shape_.feature_dim)
    fail("policy expects features [N, {}] (the env's feature width), got {}", shape_.feature_dim,
         features.sizes());
}

namespace {
KeyTable shared_keys;
const auto kKind = shared_keys.name_of("kind", "rnn", "a policy (below)", "the agent's network",
                                       "rnn (drlih), hashing-layer (noseq)");
}  // namespace

const KeyTable& policy_keys() { return shared_keys; }

// The built-ins, each registered by a function in its own file (docs/extending.md: why by name).
void register_drlih_policies(PolicyRegistry& registry);
void register_hashing_layer_policy(PolicyRegistry& registry);

PolicyRegistry& policy_registry() {
  static PolicyRegistry registry = [] {
    PolicyRegistry r("policy");
    register_drlih_policies(r);
    register_hashing_layer_policy(r);
    return r;
  }();
  return registry;
}

std::shared_ptr<Policy> make_policy(const ConfigSection& section, const PolicyShape& shape,
                                    const std::string& default_kind) {
  return policy_registry().create(kKind.with_fallback(default_kind), section, section, shape);
}

}  // namespace hashrl
