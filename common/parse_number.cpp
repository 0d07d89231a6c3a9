#include "hashrl/common/parse_number.h"

#include <cerrno>
#include <cstdlib>

namespace hashrl {

std::optional<int64_t> parse_integer(const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE) return std::nullopt;
  return value;
}

std::optional<double> parse_number(const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE) return std::nullopt;
  return value;
}

}  // namespace hashrl
