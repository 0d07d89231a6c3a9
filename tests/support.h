#pragma once
// Helpers shared by the tests: scratch folders, files with given bytes, running the CLI.
#include <string>
#include <utility>
#include <vector>

#include "hashrl/common/config.h"
#include "scratch.h"

namespace hashrl::test {

void write_bytes(const std::string& path, const std::string& bytes);

// Runs `hashrl <args>` through the shell; returns the exit status and stdout+stderr.
std::pair<int, std::string> run_hashrl(const std::string& args);

// `hashrl <args>` running beside the test, its stdout and stderr through a pipe: for tests that
// signal it mid-run. Killed and reaped, if still running, when it goes out of scope.
class HashrlProcess {
 public:
  explicit HashrlProcess(const std::vector<std::string>& args);
  ~HashrlProcess();
  HashrlProcess(const HashrlProcess&) = delete;
  HashrlProcess& operator=(const HashrlProcess&) = delete;

  // Reads the output until `text` has appeared (true) or the process closed it (false).
  bool wait_for(const std::string& text);
  void signal(int number);
  // Reads the rest of the output and reaps the process: its exit status, -1 if a signal ended it.
  int wait();
  const std::string& output() const { return output_; }

 private:
  int pid_ = -1, out_ = -1;
  std::string output_;
};

// A small config over synthetic features: quick to build, for env, agent and trainer tests.
Config synthetic_config(int64_t code_length = 8, int64_t group_size = 4, int64_t batch_size = 4);
// The same without a [policy] section, for agents that have none (the classic hashers).
Config synthetic_data_config(int64_t code_length = 8, int64_t group_size = 4, int64_t batch_size = 4);

}  // namespace hashrl::test
