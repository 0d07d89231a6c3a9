// hashrl: the command-line tool. `hashrl --help` lists the subcommands; `hashrl CMD --help`
// describes one. Every error is printed as one message naming its cause, with exit status 1.
#include <c10/util/Exception.h>
#include <fmt/format.h>

#include <cstring>
#include <iostream>

#include "cli.h"
#include "hashrl/common/allocator.h"
#include "hashrl/common/error.h"
#include "hashrl/common/threads.h"

namespace {

void print_help() {
  std::cout << "hashrl: learning to hash as reinforcement learning (DRLIH)\n\n"
               "usage: hashrl [--threads N] COMMAND [options]\n\ncommands:\n";
  for (const auto& c : hashrl::cli::commands()) std::cout << fmt::format("  {:<10} {}\n", c.name, c.summary);
  std::cout << "\nglobal options:\n"
               "  --threads N  LibTorch intra-op threads (default: every core)\n"
               "  --help       this list; `hashrl COMMAND --help` for one command\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  int threads = 0;
  while (!args.empty() && args.front().rfind("--threads", 0) == 0) {
    std::string value = args.front().size() > 10 ? args.front().substr(10) : "";
    args.erase(args.begin());
    if (value.empty() && !args.empty()) value = args.front(), args.erase(args.begin());
    threads = std::atoi(value.c_str());
    if (threads < 1) {
      std::cerr << "hashrl: --threads needs a positive number\n";
      return 2;
    }
  }
  if (args.empty() || args.front() == "--help" || args.front() == "-h" || args.front() == "help") {
    print_help();
    return args.empty() ? 2 : 0;
  }
  const std::string name = args.front();
  args.erase(args.begin());
  for (const auto& command : hashrl::cli::commands()) {
    if (command.name != name) continue;
    hashrl::configure_threads(threads);
    hashrl::keep_freed_memory();
    try {
      return command.run(args);
    } catch (const hashrl::Error& e) {
      std::cerr << "hashrl " << name << ": " << e.what() << "\n";
    } catch (const c10::Error& e) {
      std::cerr << "hashrl " << name << ": " << e.what_without_backtrace() << "\n";
    } catch (const std::exception& e) {
      std::cerr << "hashrl " << name << ": " << e.what() << "\n";
    }
    return 1;
  }
  std::cerr << "hashrl: unknown command '" << name << "'; `hashrl --help` lists them\n";
  return 2;
}
