#pragma once
// What every conformance check shares: recording a result, and turning an exception thrown by the
// component under test into a failed check rather than an abort of the whole suite.
#include <functional>
#include <string>

#include "hashrl/env/check_env.h"

namespace hashrl::testing_detail {

class Checker {
 public:
  Checker(CheckReport& report, std::string prefix) : report_(report), prefix_(std::move(prefix)) {}

  void expect(bool ok, const std::string& what, const std::string& detail = "");
  // Runs `body`; an exception fails `what` with its message.
  void guarded(const std::string& what, const std::function<void()>& body);

 private:
  CheckReport& report_;
  std::string prefix_;
};

// Appends `part`'s lines to `into`, each prefixed with `name: `.
void merge(CheckReport& into, const CheckReport& part, const std::string& name);

}  // namespace hashrl::testing_detail
