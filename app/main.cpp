// hashrl: the command-line tool. `hashrl --help` lists the subcommands; `hashrl CMD --help`
// describes one. Every error is printed as one message naming its cause, with exit status 1.
#include <c10/util/Exception.h>
#include <fmt/format.h>

#include <cctype>
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
               "  --threads N  LibTorch intra-op threads, 1 to 4 x the cores (default: every core)\n"
               "  --help       this list; `hashrl COMMAND --help` for one command\n";
}

// LibTorch's messages carry a C++ stack trace ("Exception raised from ... frame #0 ..."), also when
// they arrive wrapped in another exception type: a user gets the sentence, not the frames.
std::string without_backtrace(std::string message) {
  for (const char* marker : {"Exception raised from ", "frame #0"}) {
    const auto at = message.find(marker);
    if (at != std::string::npos) message.erase(at);
  }
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back()))) message.pop_back();
  return message;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  int threads = 0;
  while (!args.empty() && (args.front() == "--threads" || args.front().rfind("--threads=", 0) == 0)) {
    const bool separate = args.front() == "--threads";  // "--threads N", not "--threads=N"
    std::string value = separate ? "" : args.front().substr(10);
    args.erase(args.begin());
    if (separate && !args.empty()) value = args.front(), args.erase(args.begin());
    try {
      threads = hashrl::parse_thread_count(value);
    } catch (const hashrl::Error& e) {
      std::cerr << "hashrl: " << e.what() << "\n";
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
      std::cerr << "hashrl " << name << ": " << without_backtrace(e.what_without_backtrace()) << "\n";
    } catch (const std::exception& e) {
      std::cerr << "hashrl " << name << ": " << without_backtrace(e.what()) << "\n";
    }
    return 1;
  }
  std::cerr << "hashrl: unknown command '" << name << "'; `hashrl --help` lists them\n";
  return 2;
}
