#include "hashrl/train/kind_switch.h"

#include <fmt/format.h>

#include <functional>

#include "hashrl/agents/agent.h"
#include "hashrl/agents/classic/hasher.h"
#include "hashrl/data/data_source.h"
#include "hashrl/encoders/encoder.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/envs/triplet_sampler.h"
#include "hashrl/policies/policy.h"
#include "hashrl/rewards/reward.h"
#include "hashrl/learners/learner.h"
#include "hashrl/train/optimizer.h"

namespace hashrl {
namespace {

// A key that picks a registry entry: the section's shared keys, and each entry's own.
struct KindKey {
  std::string section, key;
  const KeyTable* shared;
  std::function<std::vector<std::string>()> names;              // every registered kind
  std::function<const KeyTable*(const std::string&)> keys_of;  // nullptr for an unknown name
};

template <class R>
KindKey kind_key(std::string section, std::string key, const KeyTable& shared, const R& registry) {
  return {std::move(section), std::move(key), &shared, [&registry] { return registry.names(); },
          [&registry](const std::string& name) { return registry.contains(name) ? registry.keys(name) : nullptr; }};
}

const std::vector<KindKey>& kind_keys() {
  static const std::vector<KindKey> all = [] {
    std::vector<KindKey> out = {
        kind_key("data", "kind", data_keys(), data_reader_registry()),
        kind_key("data", "protocol", data_keys(), split_protocol_registry()),
        kind_key("env", "kind", env_keys(), env_registry()),
        kind_key("encoder", "kind", encoder_keys(), encoder_registry()),
        kind_key("reward", "kind", reward_keys(), reward_registry()),
        kind_key("sampler", "kind", sampler_keys(), sampler_registry()),
        kind_key("policy", "kind", policy_keys(), policy_registry()),
        kind_key("learner", "kind", learner_keys(), learner_registry()),
        kind_key("optim", "kind", optimizer_keys(), optimizer_registry()),
    };
    // agent.kind names an agent or a classic hasher.
    out.push_back({"agent", "kind", &agent_keys(),
                   [] {
                     auto names = agent_registry().names();
                     for (const auto& name : hasher_registry().names()) names.push_back(name);
                     return names;
                   },
                   [](const std::string& name) -> const KeyTable* {
                     if (agent_registry().contains(name)) return agent_registry().keys(name);
                     return hasher_registry().contains(name) ? hasher_registry().keys(name) : nullptr;
                   }});
    return out;
  }();
  return all;
}

}  // namespace

std::map<std::string, std::string> kind_choices(const Config& config) {
  std::map<std::string, std::string> out;
  for (const auto& k : kind_keys()) {
    const auto full = k.section + "." + k.key;
    if (const auto value = config.peek(full)) {
      out[full] = *value;
    } else if (const KeyDoc* doc = k.shared->find(k.key)) {
      out[full] = doc->fallback;  // the default kind (a phrase where the default depends on another key)
    }
  }
  return out;
}

std::vector<std::string> drop_replaced_kind_keys(Config& config, const std::map<std::string, std::string>& before) {
  std::vector<std::string> notices;
  const auto after = kind_choices(config);
  for (const auto& k : kind_keys()) {
    const auto full = k.section + "." + k.key;
    const auto old_it = before.find(full), new_it = after.find(full);
    if (old_it == before.end() || new_it == after.end() || old_it->second == new_it->second) continue;
    // A default that depends on another key (policy.kind: "rnn (drlih), hashing-layer (noseq)")
    // names no one kind: the replaced kind could have been any of them.
    const bool named = k.keys_of(old_it->second) != nullptr;
    const auto old_kinds = named ? std::vector<std::string>{old_it->second} : k.names();
    const auto replaced = named ? old_it->second : "the default (" + old_it->second + ")";
    const KeyTable* new_keys = k.keys_of(new_it->second);
    for (const auto& key : config.keys_under(k.section)) {
      const auto name = key.substr(k.section.size() + 1);
      if (k.shared->find(name) || (new_keys && new_keys->find(name))) continue;
      std::string owners;
      for (const auto& kind : old_kinds)
        if (const KeyTable* keys = k.keys_of(kind); keys && keys->find(name)) owners += (owners.empty() ? "" : ", ") + kind;
      if (owners.empty()) continue;  // no kind declares it: a typo, left for the unread-key error
      config.unset(key);
      notices.push_back(fmt::format("note: {} = {} replaces {}: dropped {} (a key of {} only)", full, new_it->second,
                                    replaced, key, owners));
    }
  }
  return notices;
}

}  // namespace hashrl
