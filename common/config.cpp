#include "hashrl/common/config.h"

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/parsers.hpp>

#include <algorithm>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/filter.hpp>
#include <range/v3/view/split.hpp>
#include <range/v3/view/transform.hpp>
#include <set>
#include <sstream>

#include "hashrl/common/error.h"
#include "hashrl/common/files.h"
#include "hashrl/common/parse_number.h"

namespace hashrl {
namespace {

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

Config Config::from_string(const std::string& text, const std::string& origin) {
  namespace po = boost::program_options;
  std::istringstream in(text);
  po::options_description none;
  po::parsed_options parsed(&none);
  try {
    parsed = po::parse_config_file(in, none, /*allow_unregistered=*/true);
  } catch (const po::error& e) {
    fail("{}: {}", origin, e.what());
  }
  Config config;
  for (const auto& option : parsed.options) {
    if (option.string_key.find('.') == std::string::npos)
      fail("{}: key '{}' is outside any [section]", origin, option.string_key);
    // Last-one-wins would let a forgotten line silently override the one being edited.
    if (config.has(option.string_key)) fail("{}: key '{}' is set twice", origin, option.string_key);
    config.set(option.string_key, option.value.empty() ? "" : trim(option.value.front()), origin);
  }
  return config;
}

Config Config::from_file(const std::string& path) { return from_string(read_file(path), path); }

void Config::set(const std::string& key, const std::string& value, const std::string& origin) {
  entries_[key] = Entry{value, origin, false};
}

void Config::apply_override(const std::string& assignment) {
  const auto eq = assignment.find('=');
  const std::string key = trim(assignment.substr(0, eq));
  if (eq == std::string::npos || key.find('.') == std::string::npos)
    fail("--set expects section.key=value, got '{}'", assignment);
  set(key, trim(assignment.substr(eq + 1)), "--set");
}

void Config::unset(const std::string& key) {
  if (!entries_.erase(key)) fail("--unset {}: the key is not set (keys are section.key)", key);
}

std::optional<std::string> Config::peek(const std::string& key) const {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second.value;
}

bool Config::has(const std::string& key) const { return entries_.count(key) > 0; }

const Config::Entry* Config::lookup(const std::string& key) const {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  it->second.used = true;
  return &it->second;
}

std::optional<std::string> Config::read(const std::string& key, const std::string& fallback) const {
  if (const Entry* entry = lookup(key)) return entry->value;
  defaults_read_[key] = fallback;
  return std::nullopt;
}

std::string Config::origin_of(const std::string& key) const {
  const auto it = entries_.find(key);
  return it == entries_.end() ? "default" : it->second.origin;
}

void Config::bad_value(const std::string& key, const std::string& value,
                       const std::string& expected) const {
  fail("config key '{}' (from {}): expected {}, got '{}'", key, origin_of(key), expected, value);
}

std::string Config::get_string(const std::string& key, const std::string& fallback) const {
  return read(key, fallback).value_or(fallback);
}

int64_t Config::get_int(const std::string& key, int64_t fallback, int64_t min, int64_t max) const {
  const auto text = read(key, std::to_string(fallback));
  if (!text) return fallback;
  const auto value = parse_integer(*text);
  if (!value) bad_value(key, *text, "an integer");
  if (*value < min || *value > max) bad_value(key, *text, fmt::format("an integer in [{}, {}]", min, max));
  return *value;
}

double Config::get_double(const std::string& key, double fallback, double min, double max) const {
  const auto text = read(key, fmt::format("{}", fallback));
  if (!text) return fallback;
  const auto value = parse_number(*text);
  if (!value) bad_value(key, *text, "a number");
  if (!(*value >= min && *value <= max)) bad_value(key, *text, fmt::format("a number in [{}, {}]", min, max));
  return *value;
}

bool Config::get_bool(const std::string& key, bool fallback) const {
  const auto text = read(key, fallback ? "true" : "false");
  if (!text) return fallback;
  std::string v = *text;
  std::transform(v.begin(), v.end(), v.begin(), ::tolower);
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  bad_value(key, *text, "true or false");
}

std::string Config::get_choice(const std::string& key, const std::string& fallback,
                               const std::vector<std::string>& choices) const {
  const std::string value = get_string(key, fallback);
  if (std::find(choices.begin(), choices.end(), value) == choices.end())
    bad_value(key, value, "one of " + join(choices));
  return value;
}

std::vector<std::string> Config::get_list(const std::string& key,
                                          const std::vector<std::string>& fallback) const {
  const auto text = read(key, join(fallback));
  if (!text) return fallback;
  namespace views = ranges::views;
  return *text | views::split(',') | views::transform([](auto&& item) { return trim(item | ranges::to<std::string>()); }) |
         views::filter([](const std::string& item) { return !item.empty(); }) | ranges::to<std::vector>();
}

std::vector<int64_t> Config::get_int_list(const std::string& key, const std::vector<int64_t>& fallback,
                                          int64_t min, int64_t max) const {
  std::vector<std::string> fallback_text;
  for (const auto v : fallback) fallback_text.push_back(std::to_string(v));
  std::vector<int64_t> values;
  for (const auto& item : get_list(key, fallback_text)) {
    const auto value = parse_integer(item);
    if (!value) bad_value(key, item, "a comma-separated list of integers");
    if (*value < min || *value > max)
      bad_value(key, item, fmt::format("a comma-separated list of integers in [{}, {}]", min, max));
    values.push_back(*value);
  }
  return values;
}

std::vector<std::string> Config::keys_in(const std::string& section) const {
  std::vector<std::string> keys;
  const std::string prefix = section + ".";
  for (const auto& [key, entry] : entries_)
    if (key.rfind(prefix, 0) == 0 && key.find('.', prefix.size()) == std::string::npos)
      keys.push_back(key);
  return keys;
}

std::vector<std::string> Config::keys_under(const std::string& section) const {
  std::vector<std::string> keys;
  const std::string prefix = section + ".";
  for (const auto& [key, entry] : entries_)
    if (key.rfind(prefix, 0) == 0) keys.push_back(key);
  return keys;
}

void Config::check_all_used(const std::vector<std::string>& sections) const {
  auto checked = [&](const std::string& key) {
    if (sections.empty()) return true;
    for (const auto& section : sections)
      if (key.rfind(section + ".", 0) == 0) return true;
    return false;
  };
  std::vector<std::string> unknown;
  for (const auto& [key, entry] : entries_)
    if (!entry.used && checked(key)) unknown.push_back(fmt::format("'{}' (from {})", key, entry.origin));
  if (!unknown.empty()) fail("unknown config key(s): {}", join(unknown));
}

std::string Config::to_ini() const {
  // Group "a.b.c" under [a.b] with key c, the way the INI parser reads it back.
  std::map<std::string, std::map<std::string, std::string>> sections;
  auto add = [&](const std::string& key, const std::string& value) {
    const auto dot = key.rfind('.');
    sections[key.substr(0, dot)][key.substr(dot + 1)] = value;
  };
  for (const auto& [key, value] : defaults_read_) add(key, value);
  for (const auto& [key, entry] : entries_) add(key, entry.value);
  std::string out;
  for (const auto& [section, keys] : sections) {
    out += "[" + section + "]\n";
    for (const auto& [key, value] : keys) out += key + " = " + value + "\n";
    out += "\n";
  }
  return out;
}

}  // namespace hashrl
