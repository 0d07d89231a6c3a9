#pragma once
// Run configuration: INI files with sections (Boost.Program_options' config-file syntax) plus
// `--set section.key=value` overrides from the command line.
//
//   [reward]
//   kind = triplet
//   margin = 1
//
// Every key is addressed as "section.key". Reading a key marks it used; after a run has built
// everything it needs, `check_all_used()` turns any key that nobody read (a typo, a key of another
// component) into an error that names the key and the file it came from. Values are parsed on
// read, so a wrong type or an out-of-range value is an error naming the key and the file as well.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hashrl {

class Config {
 public:
  Config() = default;

  static Config from_file(const std::string& path);
  static Config from_string(const std::string& text, const std::string& origin = "<string>");

  // Sets one key; `origin` is what error messages name as its source.
  void set(const std::string& key, const std::string& value, const std::string& origin = "--set");
  // Applies one "section.key=value" override.
  void apply_override(const std::string& assignment);
  // Removes a key (--unset section.key); throws naming it when it is not set, which is a typo.
  void unset(const std::string& key);
  // The value set for `key`, if any, without marking it read.
  std::optional<std::string> peek(const std::string& key) const;

  bool has(const std::string& key) const;

  // Typed reads. The default is recorded, so that `to_ini()` writes the resolved configuration.
  std::string get_string(const std::string& key, const std::string& fallback) const;
  int64_t get_int(const std::string& key, int64_t fallback, int64_t min = INT64_MIN,
                  int64_t max = INT64_MAX) const;
  double get_double(const std::string& key, double fallback, double min = -1e308,
                    double max = 1e308) const;
  bool get_bool(const std::string& key, bool fallback) const;
  // A value from a fixed set, e.g. codes = probs|bits.
  std::string get_choice(const std::string& key, const std::string& fallback,
                         const std::vector<std::string>& choices) const;
  // Comma-separated lists: "1000, 5000" or "triplet:1, quantization:0.1".
  std::vector<std::string> get_list(const std::string& key,
                                    const std::vector<std::string>& fallback) const;
  std::vector<int64_t> get_int_list(const std::string& key, const std::vector<int64_t>& fallback,
                                    int64_t min = INT64_MIN, int64_t max = INT64_MAX) const;

  // Keys of a section ("reward" -> "reward.kind", "reward.margin", ...), sorted.
  std::vector<std::string> keys_in(const std::string& section) const;
  // The same with its sub-sections' keys ("data" -> "data.kind", "data.synthetic.classes", ...).
  std::vector<std::string> keys_under(const std::string& section) const;

  // Throws naming every key that was set but never read, in the given sections (all when empty):
  // a command that uses only [data] need not reject a training config's other sections.
  void check_all_used(const std::vector<std::string>& sections = {}) const;

  // Whether any key is set (defaults read do not count).
  bool empty() const { return entries_.empty(); }

  // The resolved configuration (set values and the defaults that were read) as INI text.
  std::string to_ini() const;

  // Where a key's value came from ("configs/drlih-cpu.ini", "--set", "default").
  std::string origin_of(const std::string& key) const;

 private:
  struct Entry {
    std::string value;
    std::string origin;
    mutable bool used = false;
  };
  const Entry* lookup(const std::string& key) const;
  std::optional<std::string> read(const std::string& key, const std::string& fallback) const;
  [[noreturn]] void bad_value(const std::string& key, const std::string& value,
                              const std::string& expected) const;

  std::map<std::string, Entry> entries_;
  mutable std::map<std::string, std::string> defaults_read_;
};

// A view of one section, so that a component reads "margin" instead of "reward.margin".
class ConfigSection {
 public:
  ConfigSection(const Config& config, std::string section)
      : config_(&config), prefix_(std::move(section)) {}

  const Config& config() const { return *config_; }
  const std::string& name() const { return prefix_; }
  std::string key(const std::string& name) const { return prefix_ + "." + name; }
  ConfigSection sub(const std::string& name) const { return {*config_, key(name)}; }

  bool has(const std::string& name) const { return config_->has(key(name)); }
  std::string get_string(const std::string& name, const std::string& fallback) const {
    return config_->get_string(key(name), fallback);
  }
  int64_t get_int(const std::string& name, int64_t fallback, int64_t min = INT64_MIN,
                  int64_t max = INT64_MAX) const {
    return config_->get_int(key(name), fallback, min, max);
  }
  double get_double(const std::string& name, double fallback, double min = -1e308,
                    double max = 1e308) const {
    return config_->get_double(key(name), fallback, min, max);
  }
  bool get_bool(const std::string& name, bool fallback) const {
    return config_->get_bool(key(name), fallback);
  }
  std::string get_choice(const std::string& name, const std::string& fallback,
                         const std::vector<std::string>& choices) const {
    return config_->get_choice(key(name), fallback, choices);
  }
  std::vector<std::string> get_list(const std::string& name,
                                    const std::vector<std::string>& fallback) const {
    return config_->get_list(key(name), fallback);
  }
  std::vector<int64_t> get_int_list(const std::string& name, const std::vector<int64_t>& fallback,
                                    int64_t min = INT64_MIN, int64_t max = INT64_MAX) const {
    return config_->get_int_list(key(name), fallback, min, max);
  }

 private:
  const Config* config_;
  std::string prefix_;
};

}  // namespace hashrl
