#pragma once
// Helpers shared by the tests: scratch folders, files with given bytes, running the CLI.
#include <string>
#include <utility>

#include "hashrl/common/config.h"
#include "scratch.h"

namespace hashrl::test {

void write_bytes(const std::string& path, const std::string& bytes);

// Runs `hashrl <args>` through the shell; returns the exit status and stdout+stderr.
std::pair<int, std::string> run_hashrl(const std::string& args);

// A small config over synthetic features: quick to build, for env, agent and trainer tests.
Config synthetic_config(int64_t code_length = 8, int64_t group_size = 4, int64_t batch_size = 4);
// The same without a [policy] section, for agents that have none (the classic hashers).
Config synthetic_data_config(int64_t code_length = 8, int64_t group_size = 4, int64_t batch_size = 4);

}  // namespace hashrl::test
