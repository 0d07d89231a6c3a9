#include "hashrl/common/files.h"

#include <boost/crc.hpp>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "hashrl/common/error.h"
#include "hashrl/common/file_error.h"

namespace hashrl {

std::string read_file(const std::string& path) {
  // An ifstream opens a directory without complaint and reads nothing (a config path that named a
  // folder used to start a training with every default), and a device such as /dev/zero never
  // ends. Regular files and pipes (`--config <(...)`) are read.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) fail_file("cannot read '{}': it is a directory, not a file", path);
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) fail_file("cannot read '{}': it is not a regular file", path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_file("cannot open '{}': {}", path, std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) fail_file("error while reading '{}'", path);
  return buffer.str();
}

void write_file_atomic(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) fail_file("cannot write '{}': {}", tmp, std::strerror(errno));
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      fail_file("cannot write '{}': {}", tmp, std::strerror(err));
    }
    written += static_cast<size_t>(n);
  }
  // fsync before rename: otherwise a power cut can leave the new name pointing at empty blocks.
  // A failure from here on removes the temporary copy, which nothing would ever read.
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail_file("cannot flush '{}': {}", tmp, std::strerror(err));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail_file("cannot write '{}': {}", path, std::strerror(err));
  }
  const size_t slash = path.rfind('/');
  sync_directory(slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash));
}

uint32_t crc32_of(const char* data, size_t size) {
  boost::crc_32_type crc;
  crc.process_bytes(data, size);
  return crc.checksum();
}

void sync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) fail_file("cannot open directory '{}': {}", dir, std::strerror(errno));
  const int synced = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (synced != 0) fail_file("cannot flush directory '{}': {}", dir, std::strerror(err));
}

namespace {

// nftw's callback has no user pointer, and an exception must not cross glibc's frames: the first
// failure is kept here and the walk stopped.
thread_local std::string remove_failure;

int remove_entry(const char* path, const struct stat*, int, struct FTW*) {
  if (std::remove(path) == 0 || errno == ENOENT) return 0;
  remove_failure = fmt::format("cannot remove '{}': {}", path, std::strerror(errno));
  return 1;
}

}  // namespace

void remove_tree(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 && errno == ENOENT) return;
  remove_failure.clear();
  // FTW_DEPTH: a folder's entries before the folder; FTW_PHYS: a link is removed, not followed.
  if (::nftw(path.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
    fail_file("{}", remove_failure.empty() ? fmt::format("cannot remove '{}': {}", path, std::strerror(errno))
                                      : remove_failure);
}

}  // namespace hashrl
