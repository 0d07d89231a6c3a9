#include "hashrl/common/check_report.h"

#include <fmt/format.h>

#include <exception>

namespace hashrl {

std::string CheckReport::summary() const {
  std::string out = fmt::format("{}: {} passed, {} failed\n", name, passed.size(), failed.size());
  for (const auto& f : failed) out += "  FAILED " + f + "\n";
  return out;
}

void CheckReport::merge(const CheckReport& part, const std::string& prefix) {
  for (const auto& line : part.passed) passed.push_back(prefix + ": " + line);
  for (const auto& line : part.failed) failed.push_back(prefix + ": " + line);
}

void Checker::expect(bool ok, const std::string& what, const std::string& detail) {
  if (ok)
    report_.passed.push_back(what);
  else
    report_.failed.push_back(detail.empty() ? what : what + ": " + detail);
}

void Checker::guarded(const std::string& what, const std::function<void()>& body) {
  try {
    body();
  } catch (const std::exception& e) {
    expect(false, what, std::string("threw: ") + e.what());
  }
}

}  // namespace hashrl
