#pragma once
// What every conformance check returns and how it records a result: check_env (env/),
// check_reward (rewards/), check_dataset (data/), the agent and learner checks of hashrl::testing
// and `hashrl check`'s whole-config check (train/) alike, so that one report reads the same
// whichever check wrote it. Each check lives in the layer of what it checks.
#include <functional>
#include <string>
#include <vector>

namespace hashrl {

struct CheckReport {
  std::string name = "check_env";  // which check, for summary()
  std::vector<std::string> passed, failed;
  bool ok() const { return failed.empty(); }
  std::string summary() const;
  // Appends `part`'s lines, each prefixed with `prefix: ` (which check they came from).
  void merge(const CheckReport& part, const std::string& prefix);
};

// Records checks into a report. guarded() turns an exception thrown by the component under test
// into a failed check rather than an abort of the whole suite.
class Checker {
 public:
  explicit Checker(CheckReport& report) : report_(report) {}

  void expect(bool ok, const std::string& what, const std::string& detail = "");
  // Runs `body`; an exception fails `what` with its message.
  void guarded(const std::string& what, const std::function<void()>& body);

 private:
  CheckReport& report_;
};

}  // namespace hashrl
