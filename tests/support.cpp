#include "support.h"

#include "paths.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace hashrl::test {

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::pair<int, std::string> run_hashrl(const std::string& args) {
  const std::string command = std::string(paths::kBinary) + " " + args + " 2>&1";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

HashrlProcess::HashrlProcess(const std::vector<std::string>& args) {
  int pipe_ends[2];
  if (::pipe(pipe_ends) != 0) throw std::runtime_error("pipe failed");
  std::vector<char*> argv{const_cast<char*>(paths::kBinary)};
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(pipe_ends[1], STDOUT_FILENO);
    ::dup2(pipe_ends[1], STDERR_FILENO);
    ::close(pipe_ends[0]);
    ::execv(paths::kBinary, argv.data());
    ::_exit(127);
  }
  ::close(pipe_ends[1]);
  out_ = pipe_ends[0];
}

HashrlProcess::~HashrlProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (out_ >= 0) ::close(out_);
}

bool HashrlProcess::wait_for(const std::string& text) {
  char c;
  while (output_.find(text) == std::string::npos) {
    if (::read(out_, &c, 1) != 1) return false;
    output_ += c;
  }
  return true;
}

void HashrlProcess::signal(int number) { ::kill(pid_, number); }

int HashrlProcess::wait() {
  std::array<char, 4096> buffer{};
  ssize_t n = 0;
  while ((n = ::read(out_, buffer.data(), buffer.size())) > 0) output_.append(buffer.data(), static_cast<size_t>(n));
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Config synthetic_data_config(int64_t code_length, int64_t group_size, int64_t batch_size) {
  return Config::from_string(
      "[data]\nkind = synthetic\nqueries_per_label = 5\ntrain_per_label = 20\n"
      "[data.synthetic]\nclasses = 4\nper_class = 40\ndim = 16\nspread = 0.3\n"
      "[env]\ndevice = cpu\ncode_length = " + std::to_string(code_length) +
          "\ngroup_size = " + std::to_string(group_size) + "\nbatch_size = " + std::to_string(batch_size) +
          "\n[encoder]\nkind = identity\n[train]\nseed = 3\n",
      "synthetic_config");
}

Config synthetic_config(int64_t code_length, int64_t group_size, int64_t batch_size) {
  Config config = synthetic_data_config(code_length, group_size, batch_size);
  config.set("policy.hidden", "16", "synthetic_config");
  return config;
}

}  // namespace hashrl::test
