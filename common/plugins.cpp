#include "hashrl/common/plugins.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "hashrl/common/error.h"

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

}  // namespace

void load_plugin(const std::string& path) {
  const std::lock_guard<std::mutex> lock(plugins_mutex());
  auto& loaded = plugins();
  if (std::find(loaded.begin(), loaded.end(), path) != loaded.end()) return;
  // RTLD_NOW: a missing symbol is an error here, naming it, not a crash at the first call.
  // RTLD_GLOBAL: a plugin may build on another loaded before it.
  if (!::dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL)) {
    const char* reason = ::dlerror();
    fail("plugin '{}' did not load: {}{}", path, reason ? reason : "unknown reason",
         path.find('/') == std::string::npos ? " (a path without '/' is searched for in the library path: "
                                               "write ./NAME for a file in this folder)"
                                             : "");
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
