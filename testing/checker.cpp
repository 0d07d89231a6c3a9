#include "checker.h"

#include <exception>

namespace hashrl::testing_detail {

void Checker::expect(bool ok, const std::string& what, const std::string& detail) {
  if (ok)
    report_.passed.push_back(prefix_ + what);
  else
    report_.failed.push_back(prefix_ + (detail.empty() ? what : what + ": " + detail));
}

void Checker::guarded(const std::string& what, const std::function<void()>& body) {
  try {
    body();
  } catch (const std::exception& e) {
    expect(false, what, std::string("threw: ") + e.what());
  }
}

void merge(CheckReport& into, const CheckReport& part, const std::string& name) {
  for (const auto& line : part.passed) into.passed.push_back(name + ": " + line);
  for (const auto& line : part.failed) into.failed.push_back(name + ": " + line);
}

}  // namespace hashrl::testing_detail
