#include "scratch.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "hashrl/common/files.h"

namespace hashrl::test {
namespace {

// This process's scratch root, removed when the process exits: ctest runs every test case as a
// process of its own, and a Fashion-MNIST run folder is ~275 MB, so a full run left gigabytes in
// the temp dir. HASHRL_KEEP_TEST_FILES=1 keeps them, to look at a failure. The path is never
// destroyed, so that the exit handler can still read it.
const std::filesystem::path& scratch_root() {
  static const auto* root = [] {
    auto* dir = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                          ("hashrl-test-" + std::to_string(::getpid())));
    if (!std::getenv("HASHRL_KEEP_TEST_FILES"))
      std::atexit([] {
        try {
          remove_tree(scratch_root().string());
        } catch (const std::exception&) {  // a leftover in the temp dir is not worth failing a test for
        }
      });
    return dir;
  }();
  return *root;
}

}  // namespace

std::string scratch_dir(const std::string& name) {
  const auto dir = scratch_root() / name;
  remove_tree(dir.string());
  std::filesystem::create_directories(dir);
  return dir.string();
}

}  // namespace hashrl::test
