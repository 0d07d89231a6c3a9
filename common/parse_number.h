#pragma once
// Numbers read from text a user wrote (a config value, a flag): the whole text must be the number.
// "5abc", "", "1e400" and an integer past 64 bits are nullopt, never a prefix or a wrapped value.
#include <cstdint>
#include <optional>
#include <string>

namespace hashrl {

// A decimal integer.
std::optional<int64_t> parse_integer(const std::string& text);

// A number as strtod reads it (also "nan" and "inf": callers bound the range).
std::optional<double> parse_number(const std::string& text);

}  // namespace hashrl
