#include "hashrl/policies/policy.h"

#include "hashrl/common/error.h"
#include "hashrl/policies/drlih_policy.h"
#include "hashrl/policies/hashing_layer_policy.h"

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

PolicyRegistry& policy_registry() {
  static PolicyRegistry registry = [] {
    PolicyRegistry r("policy");
    for (const auto& [name, cell] : kRecurrentCells)
      r.add(name, [cell = cell](const ConfigSection& s, const PolicyShape& shape) -> std::shared_ptr<Policy> {
        return std::make_shared<DrlihPolicy>(DrlihPolicyOptions::from_config(s, cell), shape);
      }, "the DRLIH recurrent policy (eq. 5-7) with this cell", &drlih_policy_keys());
    r.add("hashing-layer", [](const ConfigSection& s, const PolicyShape& shape) -> std::shared_ptr<Policy> {
      return std::make_shared<HashingLayerPolicy>(shape);
    }, "one fully connected layer from features to all q bits (Baseline noseq)");
    return r;
  }();
  return registry;
}

std::shared_ptr<Policy> make_policy(const ConfigSection& section, const PolicyShape& shape,
                                    const std::string& default_kind) {
  return policy_registry().create(kKind.with_fallback(default_kind), section, section, shape);
}

}  // namespace hashrl
