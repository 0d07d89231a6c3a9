#pragma once
// Helpers shared by the tests: scratch folders, files with given bytes, running the CLI.
#include <string>
#include <utility>

#include "hashrl/common/config.h"

namespace hashrl::test {

// A fresh, empty folder under the system temp dir, unique to this process and `name`; removed with
// the rest of the process's scratch folders when it exits (HASHRL_KEEP_TEST_FILES=1 keeps them).
std::string scratch_dir(const std::string& name);

void write_bytes(const std::string& path, const std::string& bytes);

// Runs `hashrl <args>` through the shell; returns the exit status and stdout+stderr.
std::pair<int, std::string> run_hashrl(const std::string& args);

// A small config over synthetic features: quick to build, for env, agent and trainer tests.
Config synthetic_config(int64_t code_length = 8, int64_t group_size = 4, int64_t batch_size = 4);
// The same without a [policy] section, for agents that have none (the classic hashers).
Config synthetic_data_config(int64_t code_length = 8, int64_t group_size = 4, int64_t batch_size = 4);

}  // namespace hashrl::test
