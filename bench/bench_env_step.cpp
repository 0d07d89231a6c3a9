// env.step from Python against the same loop in C++, side by side in one run: drlih-cpu's env at
// batch 16 (the figure the Python module is held to: within 10% of C++), and a small synthetic env
// whose steps cost so little that the difference is the binding's own cost per call.
// The Python half is bench/python_env_step.py, run with Debian's python3 on the same threads.
// Usage: bench_env_step [--threads N] [--episodes N] [--rounds N]
#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "hashrl/common/blas_core.h"
#include "hashrl/common/threads.h"
#include "hashrl/envs/env_registry.h"
#include "paths.h"

namespace {

using Clock = std::chrono::steady_clock;

struct LoopTimes {
  double reset_us = 0, step_us = 0;
};

// Mean microseconds per reset and per step over `episodes` episodes of pre-drawn random actions,
// after two episodes of warm-up; what python_env_step.py times the same way.
LoopTimes time_loop(hashrl::Env& env, int episodes) {
  const auto& spec = env.spec();
  torch::manual_seed(0);
  std::vector<torch::Tensor> actions;
  for (int64_t t = 0; t < spec.num_steps(); ++t)
    actions.push_back(torch::randint(0, 2, {spec.num_rows(), spec.group_size}).to(torch::kFloat32));
  LoopTimes times;
  for (int episode = -2; episode < episodes; ++episode) {
    const auto start = Clock::now();
    env.reset(static_cast<uint64_t>(episode + 2));
    const auto reset_done = Clock::now();
    for (const auto& action : actions) env.step({action, action});
    if (episode < 0) continue;
    times.reset_us += std::chrono::duration<double, std::micro>(reset_done - start).count();
    times.step_us += std::chrono::duration<double, std::micro>(Clock::now() - reset_done).count();
  }
  times.reset_us /= episodes;
  times.step_us /= static_cast<double>(episodes) * spec.num_steps();
  return times;
}

// The Python loop's times, from python_env_step.py's one output line "RESET_US STEP_US".
LoopTimes python_loop(const std::string& config, int threads, int episodes) {
  const std::string command =
      fmt::format("PYTHONPATH={}/python /usr/bin/python3 {}/bench/python_env_step.py '{}' {} {}", hashrl::paths::kBuildDir,
                  hashrl::paths::kSourceDir, config, threads, episodes);
  std::FILE* pipe = ::popen(command.c_str(), "r");
  LoopTimes times;
  if (!pipe || std::fscanf(pipe, "%lf %lf", &times.reset_us, &times.step_us) != 2)
    fmt::print(stderr, "python_env_step.py gave no figures (is the Python module built?)\n");
  if (pipe) ::pclose(pipe);
  return times;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// C++ and Python in turn, `rounds` times each (the machine's other load touches both alike); the
// medians per step and per reset.
void compare(const std::string& name, const std::string& config, int threads, int episodes, int rounds) {
  auto env = hashrl::make_env("HashEnv-v0", hashrl::Config::from_file(config));
  std::vector<double> cpp_step, python_step, cpp_reset, python_reset;
  for (int round = 0; round < rounds; ++round) {
    const auto cpp = time_loop(*env, episodes);
    const auto python = python_loop(config, threads, episodes);
    cpp_step.push_back(cpp.step_us), cpp_reset.push_back(cpp.reset_us);
    python_step.push_back(python.step_us), python_reset.push_back(python.reset_us);
  }
  const double c = median(cpp_step), p = median(python_step);
  fmt::print("{:<22} | {:>10.1f} | {:>10.1f} | {:>6.3f}x | {:>+9.1f} | {:>10.1f} | {:>10.1f}\n", name, c, p, p / c, p - c,
             median(cpp_reset), median(python_reset));
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 0, episodes = 200, rounds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--threads")) threads = hashrl::parse_thread_count(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--episodes")) episodes = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--rounds")) rounds = std::atoi(argv[i + 1]);
  }
  const auto blas = hashrl::ensure_fast_blas(argv, hashrl::BlasCoreRequest::from_environment());
  if (!blas.empty()) fmt::print("{}\n", blas);
  threads = hashrl::configure_threads(threads);
  fmt::print("env.step from Python vs C++: {} episodes each, median of {} rounds, {} threads, {}\n", episodes, rounds,
             threads, hashrl::describe_blas());
  fmt::print("{:<22} | {:>10} | {:>10} | {:>7} | {:>9} | {:>10} | {:>10}\n", "env", "C++ us", "Python us", "ratio",
             "extra us", "C++ reset", "Py reset");
  const std::string source = hashrl::paths::kSourceDir;
  compare("drlih-cpu (batch 16)", source + "/configs/drlih-cpu.ini", threads, episodes, rounds);
  compare("synthetic (batch 8)", source + "/tests/synthetic.ini", threads, episodes * 10, rounds);
  return 0;
}
