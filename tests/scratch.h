#pragma once
// Scratch folders for tests and fuzz targets, all under one folder per process that is removed when
// the process exits.
#include <string>

namespace hashrl::test {

// A fresh, empty folder under the system temp dir, unique to this process and `name`; removed with
// the rest of the process's scratch folders when it exits (HASHRL_KEEP_TEST_FILES=1 keeps them).
std::string scratch_dir(const std::string& name);

}  // namespace hashrl::test
