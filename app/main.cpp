// hashrl: the command-line tool. `hashrl --help` lists the subcommands; `hashrl CMD --help`
// describes one. Every error is printed as one message naming its cause, with exit status 1.
#include <c10/util/Exception.h>
#include <torch/version.h>
#include <fmt/format.h>

#include <cstring>
#include <iostream>

#include "cli.h"
#include "hashrl/common/allocator.h"
#include "hashrl/common/blas_core.h"
#include "hashrl/common/error.h"
#include "hashrl/common/plugins.h"
#include "hashrl/common/threads.h"

namespace {

void print_help() {
  std::cout << "hashrl: learning to hash as reinforcement learning (DRLIH)\n\n"
               "usage: hashrl [--threads N] [--blas-core auto|keep|NAME] [--plugin LIB.so ...] COMMAND [options]\n\n"
               "commands:\n";
  for (const auto& c : hashrl::cli::commands()) std::cout << fmt::format("  {:<10} {}\n", c.name, c.summary);
  std::cout << "\nglobal options:\n"
               "  --threads N  LibTorch intra-op threads, 1 to 4 x the cores (default: every core)\n"
               "  --blas-core auto|keep|NAME\n"
               "               OpenBLAS kernel: auto (default) replaces a pre-AVX fallback on a CPU with\n"
               "               AVX2 or AVX-512 by the best kernel for it; keep never changes it; NAME\n"
               "               (Haswell, SkylakeX, ...) asks for one. OPENBLAS_CORETYPE, when set, wins.\n"
               "  --plugin LIB.so\n"
               "               load a shared library whose registrations add agents, rewards, learners,\n"
               "               readers... (repeatable; the config key plugins.load does the same)\n"
               "  --version    the version, the BLAS kernel and the thread count\n"
               "  --help       this list; `hashrl COMMAND --help` for one command\n";
}

// Takes "--name V" or "--name=V" off the front of `args` into `value`; false when it is not there.
bool take_global_option(std::vector<std::string>& args, const std::string& name, std::string& value) {
  if (args.empty()) return false;
  if (args.front() == name) {
    args.erase(args.begin());
    value = args.empty() ? "" : args.front();
    if (!args.empty()) args.erase(args.begin());
    return true;
  }
  if (args.front().rfind(name + "=", 0) != 0) return false;
  value = args.front().substr(name.size() + 1);
  args.erase(args.begin());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  int threads = 0;
  hashrl::BlasCoreRequest blas;
  std::vector<std::string> plugins;
  try {
    for (std::string value;;) {
      if (take_global_option(args, "--threads", value))
        threads = hashrl::parse_thread_count(value);
      else if (take_global_option(args, "--blas-core", value))
        blas = hashrl::BlasCoreRequest::parse(value);
      else if (take_global_option(args, "--plugin", value))
        plugins.push_back(value.empty() ? throw hashrl::Error("--plugin needs a shared library's path") : value);
      else
        break;
    }
  } catch (const hashrl::Error& e) {
    std::cerr << "hashrl: " << e.what() << "\n";
    return 2;
  }
  // First, before any work: this may replace the process with one on a faster BLAS kernel.
  const std::string blas_note = hashrl::ensure_fast_blas(argv, blas);
  if (!blas_note.empty()) std::cerr << blas_note << "\n";
  try {
    for (const auto& plugin : plugins) hashrl::load_plugin(plugin);
  } catch (const hashrl::Error& e) {
    std::cerr << "hashrl: " << e.what() << "\n";
    return 1;
  }
  if (!args.empty() && args.front() == "--version") {
    std::cout << fmt::format("hashrl {}, LibTorch {}, {}, {} threads\n", hashrl::cli::kVersion, TORCH_VERSION,
                             hashrl::describe_blas(), hashrl::configure_threads(threads));
    return 0;
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
      std::cerr << "hashrl " << name << ": " << hashrl::without_backtrace(e.what_without_backtrace()) << "\n";
    } catch (const std::exception& e) {
      std::cerr << "hashrl " << name << ": " << hashrl::without_backtrace(e.what()) << "\n";
    }
    return 1;
  }
  std::cerr << "hashrl: unknown command '" << name << "'; `hashrl --help` lists them\n";
  return 2;
}
