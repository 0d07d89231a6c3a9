#include "hashrl/common/keys.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <climits>

namespace hashrl {
namespace {

// A bound as the docs print it: integers in full, reals in their shortest form.
std::string number_text(int64_t value) { return std::to_string(value); }
std::string number_text(double value) { return fmt::format("{:g}", value); }

// Bounds as the docs print them: "1 to 4096", "at least 0", "" when unbounded.
template <class T>
std::string bounds_text(T min, T max, T lowest, T highest) {
  const bool has_min = min > lowest, has_max = max < highest;
  if (has_min && has_max) return number_text(min) + " to " + number_text(max);
  if (has_min) return "at least " + number_text(min);
  if (has_max) return "at most " + number_text(max);
  return "";
}

// A table cell: a '|' would end it.
std::string cell(const std::string& text) {
  std::string out;
  for (const char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string join_numbers(const std::vector<int64_t>& values) {
  std::string out;
  for (const auto v : values) out += (out.empty() ? "" : ",") + std::to_string(v);
  return out;
}

}  // namespace

void KeyTable::add(KeyDoc doc) {
  for (const auto& existing : docs_)
    if (existing.name == doc.name) fail("config key '{}' is declared twice", doc.name);
  docs_.push_back(std::move(doc));
}

std::string KeyTable::join_names(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

Key<int64_t> KeyTable::integer(std::string name, int64_t fallback, int64_t min, int64_t max, std::string doc) {
  add({name, std::to_string(fallback), bounds_text<int64_t>(min, max, INT64_MIN, INT64_MAX), std::move(doc)});
  return Key<int64_t>(name, fallback, [name, min, max](const ConfigSection& s, const int64_t& f) {
    return s.get_int(name, f, min, max);
  });
}

Key<double> KeyTable::real(std::string name, double fallback, double min, double max, std::string doc) {
  add({name, fmt::format("{:g}", fallback), bounds_text<double>(min, max, -1e308, 1e308), std::move(doc)});
  return Key<double>(name, fallback, [name, min, max](const ConfigSection& s, const double& f) {
    return s.get_double(name, f, min, max);
  });
}

Key<bool> KeyTable::flag(std::string name, bool fallback, std::string doc) {
  add({name, fallback ? "true" : "false", "true, false", std::move(doc)});
  return Key<bool>(name, fallback, [name](const ConfigSection& s, const bool& f) { return s.get_bool(name, f); });
}

Key<std::string> KeyTable::text(std::string name, std::string fallback, std::string doc, std::string fallback_doc) {
  return name_of(std::move(name), std::move(fallback), "", std::move(doc), std::move(fallback_doc));
}

Key<std::string> KeyTable::name_of(std::string name, std::string fallback, std::string allowed, std::string doc,
                                   std::string fallback_doc) {
  add({name, fallback_doc.empty() ? fallback : fallback_doc, std::move(allowed), std::move(doc)});
  return Key<std::string>(name, std::move(fallback), [name](const ConfigSection& s, const std::string& f) {
    return s.get_string(name, f);
  });
}

Key<std::vector<std::string>> KeyTable::list(std::string name, std::vector<std::string> fallback, std::string doc,
                                             std::string fallback_doc) {
  add({name, fallback_doc.empty() ? join_names(fallback) : fallback_doc, "", std::move(doc)});
  return Key<std::vector<std::string>>(
      name, std::move(fallback),
      [name](const ConfigSection& s, const std::vector<std::string>& f) { return s.get_list(name, f); });
}

Key<std::vector<int64_t>> KeyTable::int_list(std::string name, std::vector<int64_t> fallback, int64_t min,
                                             int64_t max, std::string doc) {
  const auto bounds = bounds_text<int64_t>(min, max, INT64_MIN, INT64_MAX);
  add({name, join_numbers(fallback), bounds.empty() ? "" : "each " + bounds, std::move(doc)});
  return Key<std::vector<int64_t>>(name, std::move(fallback),
                                   [name, min, max](const ConfigSection& s, const std::vector<int64_t>& f) {
                                     return s.get_int_list(name, f, min, max);
                                   });
}

std::string KeyTable::markdown() const {
  std::string out = "| key | default | allowed | meaning |\n|---|---|---|---|\n";
  for (const auto& key : docs_)
    out += fmt::format("| {} | {} | {} | {} |\n", cell(key.name), cell(key.fallback), cell(key.allowed), cell(key.doc));
  return out;
}

}  // namespace hashrl
