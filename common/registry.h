#pragma once
// A registry of named factories, one per kind of component (envs, rewards, policies, agents).
// A config names a component by `kind = ...`; adding your own is one `add` call:
//
//   hashrl::reward_registry().add("my-reward", [](const ConfigSection& s) {
//     return std::make_shared<MyReward>(s);
//   }, "what it rewards");
//
// Asking for an unknown name is an error that lists every registered one.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hashrl/common/error.h"

namespace hashrl {

template <typename Product, typename... Args>
class Registry {
 public:
  using Factory = std::function<Product(Args...)>;

  explicit Registry(std::string what) : what_(std::move(what)) {}

  // Registers `factory` under `name`; registering a name twice is an error (it hides a bug).
  void add(const std::string& name, Factory factory, std::string summary = "") {
    if (entries_.count(name)) fail("{} '{}' is registered twice", what_, name);
    entries_[name] = Entry{std::move(factory), std::move(summary)};
  }

  bool contains(const std::string& name) const { return entries_.count(name) > 0; }

  Product create(const std::string& name, Args... args) const {
    const auto it = entries_.find(name);
    if (it == entries_.end()) {
      std::string known;
      for (const auto& entry : entries_) known += (known.empty() ? "" : ", ") + entry.first;
      fail("unknown {} '{}'; known: {}", what_, name, known);
    }
    return it->second.factory(std::forward<Args>(args)...);
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : entries_) out.push_back(entry.first);
    return out;
  }

  const std::string& summary(const std::string& name) const { return entries_.at(name).summary; }

 private:
  struct Entry {
    Factory factory;
    std::string summary;
  };
  std::string what_;
  std::map<std::string, Entry> entries_;
};

}  // namespace hashrl
