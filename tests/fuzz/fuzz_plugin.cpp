// libFuzzer target: a file given as a plugin, through the check load_plugin makes before dlopen
// maps it (a library cut to 3,000 bytes died of SIGBUS inside dlopen). dlopen itself is not run:
// it executes the library's code by design, so a plugin is trusted once it is whole.
#include <unistd.h>

#include <fstream>

#include "fuzz_main.h"
#include "hashrl/common/plugins.h"

HASHRL_FUZZ_TARGET(data, size) {
  static const std::string path = "/tmp/hashrl-fuzz-plugin-" + std::to_string(::getpid()) + ".so";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  hashrl::plugin_file_problem(path);
}
