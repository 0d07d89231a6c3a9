#pragma once
// An option with a fixed set of values is an `enum class` whose config spellings are declared
// once, in a Choices table beside it: the config is parsed into the enum once (naming the key and
// the allowed spellings on a bad value), behaviour compares enums, and the resolved config and
// error messages print the spelling back.
//
//   enum class Baseline { kNone, kBatchMean };
//   inline const Choices<Baseline> kBaselines = {{"none", Baseline::kNone}, {"batch-mean", Baseline::kBatchMean}};
//   o.baseline(get_enum(section, "baseline", o.baseline(), kBaselines));
#include <fmt/ranges.h>

#include <string>
#include <utility>
#include <vector>

#include "hashrl/common/config.h"
#include "hashrl/common/error.h"

namespace hashrl {

template <class E>
using Choices = std::vector<std::pair<std::string, E>>;

template <class E>
std::vector<std::string> choice_names(const Choices<E>& choices) {
  std::vector<std::string> names;
  for (const auto& [name, value] : choices) names.push_back(name);
  return names;
}

// The spelling of `value`; throws when the table lacks it (a value cast from a stray integer).
template <class E>
std::string choice_name(E value, const Choices<E>& choices) {
  for (const auto& [name, v] : choices)
    if (v == value) return name;
  fail("option value {} is not one of {}", static_cast<int>(value), fmt::join(choice_names(choices), ", "));
}

// The value that `name` spells; throws naming `what` (a flag: "--split") and the choices.
template <class E>
E parse_choice(const std::string& name, const Choices<E>& choices, const std::string& what) {
  for (const auto& [n, value] : choices)
    if (n == name) return value;
  fail("{} must be one of {}, got '{}'", what, fmt::join(choice_names(choices), ", "), name);
}

// The enum that section.key spells, `fallback` when unset; throws naming the key and the choices.
template <class E>
E get_enum(const ConfigSection& section, const std::string& key, E fallback, const Choices<E>& choices) {
  const auto name = section.get_choice(key, choice_name(fallback, choices), choice_names(choices));
  for (const auto& [n, value] : choices)
    if (n == name) return value;
  return fallback;  // unreachable: get_choice accepted only a listed name
}

}  // namespace hashrl
