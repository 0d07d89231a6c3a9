#include "local_ranks.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "hashrl/common/error.h"
#include "hashrl/common/files.h"

extern char** environ;

namespace hashrl::cli {
namespace {

// This process's command line, as it was started, without --nproc and its value.
std::vector<std::string> command_line_without_nproc() {
  const std::string raw = read_file("/proc/self/cmdline");
  std::vector<std::string> args;
  for (size_t start = 0; start < raw.size();) {
    const size_t end = raw.find('\0', start);
    args.push_back(raw.substr(start, end - start));
    start = end == std::string::npos ? raw.size() : end + 1;
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--nproc") {
      ++i;  // and its value
      continue;
    }
    if (args[i].rfind("--nproc=", 0) == 0) continue;
    out.push_back(args[i]);
  }
  out[0] = "/proc/self/exe";  // the same binary, whatever PATH says
  return out;
}

// A TCP port that is free now (the kernel's pick), for the ranks' store.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(address);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    fail("--nproc: cannot find a free port for the ranks' rendezvous: {}", std::strerror(errno));
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

int run_local_ranks(int nproc) {
  const auto args = command_line_without_nproc();
  const int port = free_port();
  std::vector<pid_t> ranks;
  for (int rank = 0; rank < nproc; ++rank) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
      const std::string entry = *e;
      const std::string name = entry.substr(0, entry.find('='));
      if (name != "RANK" && name != "LOCAL_RANK" && name != "WORLD_SIZE" && name != "LOCAL_WORLD_SIZE" &&
          name != "MASTER_ADDR" && name != "MASTER_PORT")
        env.push_back(entry);
    }
    for (const auto& [name, value] :
         {std::pair<std::string, int>{"RANK", rank}, {"LOCAL_RANK", rank}, {"WORLD_SIZE", nproc},
          {"LOCAL_WORLD_SIZE", nproc}, {"MASTER_PORT", port}})
      env.push_back(fmt::format("{}={}", name, value));
    env.push_back("MASTER_ADDR=127.0.0.1");
    std::vector<char*> argv, envp;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    pid_t pid = 0;
    if (const int error = ::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data()); error != 0) {
      for (const pid_t started : ranks) ::kill(started, SIGTERM);
      fail("--nproc: cannot start rank {}: {}", rank, std::strerror(error));
    }
    ranks.push_back(pid);
  }
  // Waits for every rank; the first failure stops the rest.
  int status = 0, remaining = nproc;
  while (remaining > 0) {
    int wstatus = 0;
    const pid_t pid = ::waitpid(-1, &wstatus, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;  // Ctrl-C reaches the ranks too (same process group); keep waiting
      break;
    }
    --remaining;
    const auto it = std::find(ranks.begin(), ranks.end(), pid);
    if (it == ranks.end()) continue;
    const int rank = static_cast<int>(it - ranks.begin());
    const int code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    if (code != 0 && status == 0) {
      status = code;
      std::cerr << fmt::format("hashrl train --nproc {}: rank {} {} {}; stopping the other ranks", nproc, rank,
                               WIFEXITED(wstatus) ? "exited with status" : "was killed by signal",
                               WIFEXITED(wstatus) ? code : WTERMSIG(wstatus))
                << std::endl;
      for (size_t other = 0; other < ranks.size(); ++other)
        if (ranks[other] != pid) ::kill(ranks[other], SIGTERM);
    }
  }
  return status;
}

}  // namespace hashrl::cli
