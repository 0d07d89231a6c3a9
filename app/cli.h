#pragma once
// What every subcommand of the `hashrl` tool shares: its table entry, and the --config/--set
// handling of the commands that read a run configuration.
#include <boost/program_options.hpp>

#include <functional>
#include <string>
#include <vector>

#include "hashrl/common/config.h"

namespace hashrl::cli {

namespace po = boost::program_options;

// The project's version (app/version.cpp.in, generated from CMake's project()).
extern const char* const kVersion;

struct Command {
  std::string name, summary;
  std::function<int(const std::vector<std::string>& args)> run;
};

// The subcommands, in the order `hashrl --help` lists them.
const std::vector<Command>& commands();

// Adds --config FILE and --set section.key=value (repeatable).
void add_config_options(po::options_description& options);
// The config that --config and --set describe (--set applied after the file).
Config config_from(const po::variables_map& vm);

// A numeric flag declared as po::value<std::string>, read strictly: the whole text a decimal number
// within [min, max], or an error naming the flag, the range and the text. (Boost's own conversion
// reads "-1" as 65535 for an unsigned flag.)
int64_t int_flag(const po::variables_map& vm, const std::string& flag, int64_t min, int64_t max);
double number_flag(const po::variables_map& vm, const std::string& flag, double min, double max);

// Parses `args` against `options` (positional none: a stray argument is an error naming it); prints
// help and returns false on --help.
bool parse(const std::string& command, const std::vector<std::string>& args, po::options_description& options,
           po::variables_map& vm, const std::string& usage);

}  // namespace hashrl::cli
