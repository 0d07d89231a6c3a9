// remove_tree: the recursive removal every scratch folder and experiment rerun goes through.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "hashrl/common/error.h"
#include "hashrl/common/file_error.h"
#include "hashrl/common/config.h"
#include "hashrl/common/files.h"
#include "hashrl/common/plugins.h"
#include "support.h"

using namespace hashrl;
namespace fs = std::filesystem;

TEST_CASE("remove_tree removes a folder and all below it, and leaves what its links point at") {
  const fs::path root = test::scratch_dir("remove_tree");
  const fs::path tree = root / "tree", outside = root / "outside";
  fs::create_directories(tree / "a" / "b");
  fs::create_directories(outside / "kept");
  test::write_bytes((tree / "a" / "b" / "deep.bin").string(), "x");
  test::write_bytes((tree / "top.txt").string(), "y");
  test::write_bytes((outside / "kept.txt").string(), "z");
  REQUIRE(::symlink((outside / "kept.txt").c_str(), (tree / "file-link").c_str()) == 0);
  REQUIRE(::symlink((outside / "kept").c_str(), (tree / "a" / "dir-link").c_str()) == 0);

  remove_tree(tree.string());
  CHECK_FALSE(fs::exists(fs::symlink_status(tree)));
  CHECK(fs::exists(outside / "kept.txt"));  // the links went, not their targets
  CHECK(fs::is_directory(outside / "kept"));

  remove_tree((outside / "kept.txt").string());  // a plain file too
  CHECK_FALSE(fs::exists(outside / "kept.txt"));
  CHECK_NOTHROW(remove_tree(tree.string()));  // already gone: nothing to do
}

TEST_CASE("remove_tree names a path it cannot remove") {
  const fs::path root = test::scratch_dir("remove_tree_error");
  test::write_bytes((root / "file").string(), "x");
  // Below a regular file there is nothing to walk: ENOTDIR, not a silent success.
  CHECK_THROWS_WITH(remove_tree((root / "file" / "below").string()),
                    Catch::Contains("cannot remove") && Catch::Contains("file/below"));
}

TEST_CASE("a file that cannot be opened, read or written is a FileError naming it") {
  const fs::path root = test::scratch_dir("file_errors");
  CHECK_THROWS_AS(read_file((root / "missing.ini").string()), FileError);
  CHECK_THROWS_WITH(read_file((root / "missing.ini").string()), Catch::Contains("missing.ini"));
  CHECK_THROWS_AS(read_file(root.string()), FileError);  // a folder where a file was meant
  CHECK_THROWS_AS(write_file_atomic((root / "no-such-folder" / "out.json").string(), "{}"), FileError);
  CHECK_THROWS_AS(Config::from_file((root / "missing.ini").string()), FileError);
  CHECK_THROWS_AS(load_plugin((root / "libmissing.so").string()), FileError);
  // Errors about what a file holds stay plain Errors: the file was there.
  test::write_bytes((root / "bad.ini").string(), "[env]\nnot a key line\n");
  try {
    Config::from_file((root / "bad.ini").string());
    FAIL("a malformed config was read");
  } catch (const FileError&) {
    FAIL("a malformed config is not a file error");
  } catch (const Error&) {
  }
}
