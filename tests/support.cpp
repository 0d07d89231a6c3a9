#include "support.h"

#include "paths.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>

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
