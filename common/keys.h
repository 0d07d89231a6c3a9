#pragma once
// A component's config keys, declared once: name, default, allowed values and a one-line doc.
// The component reads its section through these declarations, so the default and the range it
// applies are the ones the docs print: docs/config.md, `hashrl train --help-config` and
// `hashrl list` are generated from the same tables (a test in tests/test_cli.cpp fails when
// docs/config.md differs from what the code declares).
//
//   KeyTable keys;
//   const auto kCodeLength = keys.integer("code_length", HashEnvOptions().code_length(), 1, 4096,
//                                         "q, bits per code");
//   ...
//   o.code_length(kCodeLength(section));
//
// Where an options struct exists, its own default is the key's default (as above), so that a
// code-built and a config-built component start from the same value, written in one place.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "hashrl/common/choices.h"
#include "hashrl/common/config.h"

namespace hashrl {

// What the docs print of one key.
struct KeyDoc {
  std::string name;      ///< relative to the section: "code_length", "synthetic.classes"
  std::string fallback;  ///< the default as an INI file writes it, or a phrase ("the agent's")
  std::string allowed;   ///< "1 to 4096", "probs, bits"; empty when any value of the type
  std::string doc;       ///< one line
};

// One declared key; reading it applies the declared default and range.
template <class T>
class Key {
 public:
  using Reader = std::function<T(const ConfigSection&, const T& fallback)>;

  Key(std::string name, T fallback, Reader reader)
      : name_(std::move(name)), fallback_(std::move(fallback)), reader_(std::move(reader)) {}

  // The value set in `section`, the declared default when unset.
  T operator()(const ConfigSection& section) const { return reader_(section, fallback_); }
  // The same with a default that depends on context (policy.kind follows the agent's choice).
  T operator()(const ConfigSection& section, const T& fallback) const { return reader_(section, fallback); }

  // This key with another default, for a registry's create (learner.kind follows the agent's).
  Key with_fallback(T fallback) const {
    Key key = *this;
    key.fallback_ = std::move(fallback);
    return key;
  }

  const std::string& name() const { return name_; }
  const T& fallback() const { return fallback_; }

 private:
  std::string name_;
  T fallback_;
  Reader reader_;
};

// The keys of one component (or of the part of a section every kind shares), in doc order.
class KeyTable {
 public:
  Key<int64_t> integer(std::string name, int64_t fallback, int64_t min, int64_t max, std::string doc);
  Key<double> real(std::string name, double fallback, double min, double max, std::string doc);
  Key<bool> flag(std::string name, bool fallback, std::string doc);
  // `fallback_doc`, when given, is what the docs print as the default ("Debian's Fashion-MNIST").
  Key<std::string> text(std::string name, std::string fallback, std::string doc, std::string fallback_doc = "");
  // Comma-separated values.
  Key<std::vector<std::string>> list(std::string name, std::vector<std::string> fallback, std::string doc,
                                     std::string fallback_doc = "");
  Key<std::vector<int64_t>> int_list(std::string name, std::vector<int64_t> fallback, int64_t min,
                                     int64_t max, std::string doc);
  // A name from a fixed set, parsed once into its enum.
  template <class E>
  Key<E> choice(std::string name, E fallback, const Choices<E>& choices, std::string doc) {
    add({name, choice_name(fallback, choices), join_names(choice_names(choices)), std::move(doc)});
    // `name` is copied, not moved, into the Key: the lambda captures it too, and the order in which
    // arguments are evaluated is the compiler's (clang moved it out before the capture).
    return Key<E>(name, fallback, [name, choices](const ConfigSection& s, const E& f) {
      return get_enum(s, name, f, choices);
    });
  }
  // A key whose value names an entry of a registry (`kind`): any text, checked by the registry.
  Key<std::string> name_of(std::string name, std::string fallback, std::string allowed, std::string doc,
                           std::string fallback_doc = "");

  // Adds `other`'s keys after these (a component that reads another's keys as well), their
  // names prefixed with `prefix` (a sub-section: "NAME.").
  void append(const KeyTable& other, const std::string& prefix = "") {
    for (auto doc : other.docs_) {
      doc.name = prefix + doc.name;
      add(std::move(doc));
    }
  }

  // A key read by hand (a dynamic name, a value with its own parser): documented here only.
  void document(KeyDoc doc) { add(std::move(doc)); }

  const std::vector<KeyDoc>& docs() const { return docs_; }
  // The declaration of `name`, or nullptr.
  const KeyDoc* find(const std::string& name) const {
    for (const auto& doc : docs_)
      if (doc.name == name) return &doc;
    return nullptr;
  }
  bool empty() const { return docs_.empty(); }
  // A markdown table: | key | default | allowed | meaning |.
  std::string markdown() const;

 private:
  void add(KeyDoc doc);
  static std::string join_names(const std::vector<std::string>& names);
  std::vector<KeyDoc> docs_;
};

}  // namespace hashrl
