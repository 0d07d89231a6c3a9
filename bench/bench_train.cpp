// Training throughput: steps/s and images/s for the default CPU config (configs/drlih-cpu.ini)
// and for the paper-size policy (hidden 4096, k = 12, q = 48, 16 triplets, features precomputed),
// with the GFLOP/s each step executes against torch::mm's peak measured in this run.
// Usage: bench_train [--threads N] [--steps S] [--paper-steps P] [--profile ROWS]
// --profile prints the drlih-cpu step's slowest operators (self time per step, LibTorch's profiler).
#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cstring>
#include <filesystem>

#include "hashrl/common/allocator.h"
#include "hashrl/common/blas_core.h"
#include "hashrl/common/threads.h"
#include "hashrl/train/trainer.h"
#include "op_profile.h"
#include "paths.h"
#include "peak_memory.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Best GFLOP/s of an [m, k] x [k, n] product.
double mm_gflops(int64_t m, int64_t k, int64_t n, int repeats = 5) {
  const auto a = torch::randn({m, k}), b = torch::randn({k, n});
  torch::mm(a, b);  // warm-up
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    torch::mm(a, b);
    best = std::min(best, seconds_since(start));
  }
  return 2.0 * m * k * n / best / 1e9;
}

// Seconds per training step after `warmup` steps, over `steps` more; then, when `profiled` is
// given, `profiled_steps` more under the profiler, their operators written there.
double seconds_per_step(const hashrl::Config& config, int64_t warmup, int64_t steps,
                        std::vector<hashrl::bench::OpTime>* profiled = nullptr, int64_t profiled_steps = 0) {
  const auto dir = std::filesystem::temp_directory_path() / "hashrl-bench-train";
  hashrl::Trainer trainer(config, dir.string());
  trainer.train_until(warmup);
  const auto start = std::chrono::steady_clock::now();
  trainer.train_until(warmup + steps);
  const double seconds = seconds_since(start) / static_cast<double>(steps);
  if (profiled) {
    *profiled = hashrl::bench::profile_ops([&] { trainer.train_until(warmup + steps + profiled_steps); });
  }
  return seconds;
}

// FLOPs of the products and convolutions a profiled piece of work executed. LibTorch counts the
// forward convolutions (aten::conv2d) and every product (mm and addmm, the backward's included);
// a trained convolution's backward is counted as twice its forward (the input's and the weights'
// gradients; the first layer computes no input gradient, so this overcounts it, under 1% of the
// VGG trunk). Elementwise FLOPs are left out.
double executed_flops(const std::vector<hashrl::bench::OpTime>& ops) {
  double flops = 0;
  for (const auto& op : ops) {
    if (op.name == "aten::conv2d") flops += 3 * op.flops;
    if (op.name == "aten::mm" || op.name == "aten::addmm" || op.name == "aten::bmm") flops += op.flops;
  }
  return flops;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 0;
  int64_t steps = 100, paper_steps = 2;
  int profile_rows = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--steps")) steps = std::atoll(argv[i + 1]);
    if (!std::strcmp(argv[i], "--paper-steps")) paper_steps = std::atoll(argv[i + 1]);
    if (!std::strcmp(argv[i], "--profile")) profile_rows = std::atoi(argv[i + 1]);
  }
  // As the CLI does: a fallback BLAS kernel would make every figure a different machine's.
  const std::string blas_note = hashrl::ensure_fast_blas(argv, hashrl::BlasCoreRequest::from_environment());
  if (!blas_note.empty()) fmt::print(stderr, "{}\n", blas_note);
  threads = hashrl::configure_threads(threads);
  hashrl::keep_freed_memory();
  fmt::print("training benchmark, {} threads, {}\n", threads, hashrl::describe_blas());

  // The default CPU config, as the README's main job runs it, beside the encoder's NCHW layout.
  // Each timed unprofiled; its FLOPs counted over 10 more steps under the profiler.
  struct Variant {
    std::string name, key, value;
    double seconds = 0, flops = 0;
    std::vector<hashrl::bench::OpTime> ops;
  };
  std::vector<Variant> variants = {{"drlih-cpu", "", ""}, {"  NCHW layout", "encoder.channels_last", "false"}};
  // Two rounds, the best of each kept: whichever row ran first in the process measured 10-15%
  // slower than when it ran later (the heap still growing, most likely). Both rounds profile: the
  // first profile of a process runs slow (the first row's read 128 against 80 ms a step when only
  // the second round profiled), so the first round's profiles are its warm-up.
  const int64_t profiled_steps = 10;
  for (int round = 0; round < 2; ++round) {
    for (auto& variant : variants) {
      hashrl::Config cpu = hashrl::Config::from_file(std::string(hashrl::paths::kSourceDir) + "/configs/drlih-cpu.ini");
      cpu.set("train.checkpoint_every", "0");
      if (!variant.key.empty()) cpu.set(variant.key, variant.value);
      const double seconds = seconds_per_step(cpu, 10, steps, &variant.ops, profiled_steps);
      variant.seconds = round == 0 ? seconds : std::min(variant.seconds, seconds);
      variant.flops = executed_flops(variant.ops) / profiled_steps;
    }
  }
  const double cpu_rss = peak_rss_mib();

  // The paper-size policy on precomputed 4096-d features (fc7), so the policy alone is timed, with
  // the paper's SGD (configs/drlih.ini) named: the library's default optimiser is Adam, whose
  // update over the 4096 x 4096 matrices costs as much again (0.20 against 0.40 steps/s).
  const int64_t hidden = 4096, q = 48, k = 12, batch = 16, dim = 4096, images = 3 * batch;
  hashrl::Config paper = hashrl::Config::from_string(fmt::format(
      "[data]\nkind = synthetic\nqueries_per_label = 5\ntrain_per_label = 20\n"
      "[data.synthetic]\nclasses = 4\nper_class = 40\ndim = {}\n[encoder]\nkind = identity\n"
      "[env]\ndevice = cpu\ncode_length = {}\ngroup_size = {}\nbatch_size = {}\n"
      "[policy]\nhidden = {}\ninput_norm = none\n[optim]\nkind = sgd\nlr = 0.001\nweight_decay = 0.0005\n"
      "[train]\ncheckpoint_every = 0\n", dim, q, k, batch, hidden));
  const double paper_step = seconds_per_step(paper, 1, paper_steps);
  // Model FLOPs (the work of the network as the paper writes it, whatever the implementation):
  // per image and bit, the RNN cell's two H x H products (input x_t = c_{t-1}, and recurrence);
  // per image and group, W_xi (D x H); backward twice the forward.
  const double hh = 2.0 * hidden * hidden, xh = 2.0 * dim * hidden, groups = q / k;
  const double model = 3.0 * images * (q * 2 * hh + groups * xh);
  // Executed FLOPs (the products policies/elman_group.cpp computes): per group, forward 2 + (k-1)
  // H x H products; backward (k-1) + 2 for the inputs' gradients and (k-1) + 2 for the weights'.
  const double executed = images * groups * ((k + 1) * hh + 3 * xh + 2 * (k + 1) * hh);
  const double model_rate = model / paper_step / 1e9, executed_rate = executed / paper_step / 1e9;
  const double peak_square = mm_gflops(2048, 2048, 2048);
  const double peak_policy_shape = mm_gflops(images, hidden, hidden);
  for (const auto& v : variants) {
    const double rate = v.flops / v.seconds / 1e9;
    fmt::print("{:<15}: {:7.2f} steps/s, {:8.1f} images/s, {:.1f} GFLOP/s executed ({:.0f}% of the 2048^3 peak), "
               "{:.2f}x drlih-cpu's steps/s\n", v.name, 1 / v.seconds, 48 / v.seconds, rate, 100 * rate / peak_square,
               variants[0].seconds / v.seconds);
  }
  fmt::print("drlih-cpu rows: {:.2f} GFLOP a step (products and convolutions), peak RSS {:.0f} MiB\n",
             variants[0].flops / 1e9, cpu_rss);
  fmt::print("paper policy   : {:7.3f} steps/s, {:8.1f} images/s, {:.1f} GFLOP/s of model FLOPs, {:.1f} GFLOP/s "
             "executed\n", 1 / paper_step, images / paper_step, model_rate, executed_rate);
  fmt::print("torch::mm peak : {:.1f} GFLOP/s at 2048^3, {:.1f} GFLOP/s at the policy's [{}, {}] x [{}, {}]\n",
             peak_square, peak_policy_shape, images, hidden, hidden, hidden);
  fmt::print("paper policy reaches {:.0f}% of the 2048^3 peak in model FLOPs, {:.0f}% in executed FLOPs "
             "(target: at least 60%)\n", 100 * model_rate / peak_square, 100 * executed_rate / peak_square);
  fmt::print("peak RSS {:.0f} MiB\n", peak_rss_mib());
  for (const auto& v : variants) {
    if (profile_rows <= 0) break;
    fmt::print("\n{} step by operator (self time, per step, over {} profiled steps):\n", v.name, profiled_steps);
    hashrl::bench::print_op_table(v.ops, profiled_steps, profile_rows);
  }
}
