#include "hashrl/common/plugins.h"

#include <dlfcn.h>
#include <elf.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>

#include "hashrl/common/error.h"
#include "hashrl/common/file_error.h"

namespace hashrl {

namespace {

KeyTable plugin_table;
const auto kLoad = plugin_table.list(
    "load", {}, "shared libraries to load before anything is built (their registrations add components)", "none");

std::mutex& plugins_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::vector<std::string>& plugins() {
  static std::vector<std::string> loaded;
  return loaded;
}

std::atomic<int64_t>& registration_counter() {
  static std::atomic<int64_t> counter{0};
  return counter;
}

}  // namespace

// A segment that reaches past the end of a truncated file would be mapped anyway, and the
// loader's first read of it is a SIGBUS.
std::string plugin_file_problem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  const auto size = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  Elf64_Ehdr header{};
  if (!in.read(reinterpret_cast<char*>(&header), sizeof header) ||
      std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64)
    return "not a 64-bit ELF shared library";
  // Each sum is checked as a difference: offsets near 2^64 would wrap past the check.
  const auto ends_within = [size](uint64_t offset, uint64_t length) { return length <= size && offset <= size - length; };
  if (header.e_phentsize != sizeof(Elf64_Phdr) ||
      !ends_within(header.e_phoff, uint64_t{header.e_phnum} * sizeof(Elf64_Phdr)))
    return fmt::format("its program headers reach past the end of the file ({} bytes): truncated?", size);
  for (uint16_t i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment{};
    in.seekg(static_cast<std::streamoff>(header.e_phoff + i * sizeof(Elf64_Phdr)));
    if (!in.read(reinterpret_cast<char*>(&segment), sizeof segment)) return "its program headers cannot be read";
    if (segment.p_type == PT_LOAD && !ends_within(segment.p_offset, segment.p_filesz))
      return fmt::format("a segment of {} bytes at byte {} reaches past the end of the {}-byte file: truncated?",
                         segment.p_filesz, segment.p_offset, size);
  }
  return "";
}

void count_registration() { ++registration_counter(); }
int64_t registrations_so_far() { return registration_counter().load(); }

void load_plugin(const std::string& path) {
  const std::lock_guard<std::mutex> lock(plugins_mutex());
  auto& loaded = plugins();
  if (std::find(loaded.begin(), loaded.end(), path) != loaded.end()) return;
  // A path (not a bare name the loader searches for) that names no file is a missing file, said so.
  if (path.find('/') != std::string::npos && ::access(path.c_str(), F_OK) != 0)
    fail_file("plugin '{}' did not load: {}", path, std::strerror(errno));
  if (const auto problem = plugin_file_problem(path); !problem.empty()) fail("plugin '{}' did not load: {}", path, problem);
  const int64_t before = registrations_so_far();
  // RTLD_NOW: a missing symbol is an error here, naming it, not a crash at the first call.
  // RTLD_GLOBAL: a plugin may build on another loaded before it.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (!handle) {
    const char* reason = ::dlerror();
    fail("plugin '{}' did not load: {}{}", path, reason ? reason : "unknown reason",
         path.find('/') == std::string::npos ? " (a path without '/' is searched for in the library path: "
                                               "write ./NAME for a file in this folder)"
                                             : "");
  }
  if (registrations_so_far() == before) {
    ::dlclose(handle);
    fail("plugin '{}' loaded but registered nothing: a plugin adds components by registering them when it loads "
         "(docs/extending.md, \"Plugins\"); is it the right library?", path);
  }
  loaded.push_back(path);
}

const std::vector<std::string>& loaded_plugins() { return plugins(); }

void load_plugins(Config& config) {
  for (const auto& path : kLoad(ConfigSection(config, "plugins"))) load_plugin(path);
  if (!plugins().empty())
    config.set("plugins.load", fmt::format("{}", fmt::join(plugins(), ", ")),
               config.has("plugins.load") ? config.origin_of("plugins.load") : "--plugin");
  if (config.has("plugins.load")) kLoad(ConfigSection(config, "plugins"));  // read: not an unknown key
}

const KeyTable& plugin_keys() { return plugin_table; }

}  // namespace hashrl
