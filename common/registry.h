#pragma once
// A registry of named factories, one per kind of component (envs, rewards, policies, agents).
// A config names a component by `kind = ...`; adding your own is one `add` call:
//
//   hashrl::reward_registry().add("my-reward", [](const ConfigSection& s) {
//     return std::make_shared<MyReward>(s);
//   }, "what it rewards");
//
// Asking for an unknown name is an error that lists every registered one. A component that reads
// config keys passes its KeyTable too, so that `hashrl list` and docs/config.md show them.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hashrl/common/error.h"
#include "hashrl/common/keys.h"

namespace hashrl {

// Counts every registration in every registry of the process, so that a plugin that registered
// nothing is told apart from one that did (common/plugins.cpp). Defined once, in the loading
// process, so that a plugin's registrations count in the same counter.
void count_registration();
int64_t registrations_so_far();

template <typename Product, typename... Args>
class Registry {
 public:
  using Factory = std::function<Product(Args...)>;

  explicit Registry(std::string what) : what_(std::move(what)) {}

  // Registers `factory` under `name`; registering a name twice is an error (it hides a bug).
  // `keys` must outlive the registry (a static table beside the component).
  void add(const std::string& name, Factory factory, std::string summary = "", const KeyTable* keys = nullptr) {
    if (entries_.count(name)) fail("{} '{}' is registered twice", what_, name);
    entries_[name] = Entry{std::move(factory), std::move(summary), keys};
    count_registration();
  }

  // Unregisters `name` (a Python session that redefines a component registers it again); throws
  // naming it when it is not registered.
  void remove(const std::string& name) {
    if (!entries_.erase(name)) fail("{} '{}' is not registered", what_, name);
  }

  bool contains(const std::string& name) const { return entries_.count(name) > 0; }

  Product create(const std::string& name, Args... args) const {
    const auto it = entries_.find(name);
    if (it == entries_.end()) fail("unknown {} '{}'; known: {}", what_, name, known());
    return it->second.factory(std::forward<Args>(args)...);
  }

  // The name that `kind` reads from `section` (its default when unset), checked: an unknown name
  // is an error naming the key, where it was set and the known names.
  std::string name_in(const Key<std::string>& kind, const ConfigSection& section) const {
    auto name = kind(section);
    if (!contains(name)) {
      const auto key = section.key(kind.name());
      fail("config key '{}' (from {}): unknown {} '{}'; known: {}", key, section.config().origin_of(key), what_,
           name, known());
    }
    return name;
  }

  // The entry that `kind` names in `section`, created from `args`.
  Product create(const Key<std::string>& kind, const ConfigSection& section, Args... args) const {
    return create(name_in(kind, section), std::forward<Args>(args)...);
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : entries_) out.push_back(entry.first);
    return out;
  }

  const std::string& summary(const std::string& name) const { return entries_.at(name).summary; }
  // The keys `name` reads beyond its section's shared ones; nullptr when it declared none.
  const KeyTable* keys(const std::string& name) const { return entries_.at(name).keys; }
  // What the registry holds ("reward"), for messages and listings.
  const std::string& what() const { return what_; }

 private:
  std::string known() const {
    std::string out;
    for (const auto& entry : entries_) out += (out.empty() ? "" : ", ") + entry.first;
    return out;
  }

  struct Entry {
    Factory factory;
    std::string summary;
    const KeyTable* keys = nullptr;
  };
  std::string what_;
  std::map<std::string, Entry> entries_;
};

}  // namespace hashrl
