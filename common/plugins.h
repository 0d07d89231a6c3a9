#pragma once
// Plugins: shared libraries whose static registrations add components (agents, rewards, learners,
// readers, ...) to the registries of the process that loads them, so that the stock `hashrl`
// tool (and `import hashrl`) picks a user's component by name without a main() of the user's own.
//
//   hashrl --plugin ./libmine.so train --config my.ini --out runs/a
//   [plugins]
//   load = ./libmine.so, /opt/lab/librewards.so
//
// A plugin is built against the headers only (CMake: link hashrl::plugin, not the layer
// libraries): its references to hashrl resolve against the loading process, which exports every
// symbol of every layer. docs/extending.md, "Plugins".
#include <string>
#include <vector>

#include "hashrl/common/config.h"
#include "hashrl/common/keys.h"

namespace hashrl {

// Loads the shared library at `path` (once: a path already loaded is skipped) with its symbols
// visible to those loaded after it. Throws naming the path and the loader's reason; a file that
// is not a whole 64-bit ELF (truncated: dlopen would die of SIGBUS) and a library that registers
// no component are refused too.
void load_plugin(const std::string& path);

// What load_plugin finds wrong with the file at `path` before it lets dlopen map it ("" when
// nothing, or when there is no such file: dlopen then searches for it and says so). Only the ELF
// header and the program headers are read: dlopen runs the library's code by design, so what a
// plugin does once loaded is trusted, but no file may crash the loader by being cut short.
std::string plugin_file_problem(const std::string& path);

// Every plugin loaded so far, in load order, as given.
const std::vector<std::string>& loaded_plugins();

// Loads the plugins that `plugins.load` lists, then records every plugin loaded so far (by
// --plugin too) in `plugins.load`, so that the resolved config.ini of a run names what the run
// needs to be resumed, checked or served.
void load_plugins(Config& config);

// The [plugins] keys.
const KeyTable& plugin_keys();

}  // namespace hashrl
