// Encoding throughput (images/s, eval mode, no autograd) of vgg19 at 32x32 and 224x224; and,
// side by side with the same network built by torchvision (Debian's python3, the same LibTorch;
// torchvision_encoder.py) on the same threads, at the DRLIH authors' sizes and at the CPU-sized
// variant that configs/drlih-cpu.ini uses.
// Usage: bench_encoder [--threads N]
#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstring>

#include "hashrl/common/allocator.h"
#include "hashrl/common/blas_core.h"
#include "hashrl/common/threads.h"
#include "hashrl/agents/agent.h"
#include "hashrl/encoders/encoder.h"
#include "hashrl/train/encode.h"
#include "paths.h"

namespace {

double images_per_second(const std::string& ini, int64_t channels, int64_t side, int64_t batch, int batches) {
  const hashrl::Config config = hashrl::Config::from_string(ini);
  hashrl::EncoderInput input;
  input.channels = channels, input.height = side, input.width = side;
  auto encoder = hashrl::make_encoder(hashrl::ConfigSection(config, "encoder"), input);
  encoder->eval();
  torch::NoGradGuard no_grad;
  const auto images = torch::randint(0, 256, {batch, channels, side, side}).to(torch::kUInt8);
  encoder->forward(images);  // warm-up
  const auto start = std::chrono::steady_clock::now();
  for (int b = 0; b < batches; ++b) encoder->forward(images);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return batch * batches / seconds;
}

// Retrieval codes need the policy too: greedy bits of the paper's policy (hidden 4096, q = 48 in
// groups of 12) from 4096-d features, images/s. One hidden x hidden product per bit and image.
double paper_policy_images_per_second(int64_t batch, int batches) {
  const auto config = hashrl::Config::from_string("[policy]\nkind = rnn\nhidden = 4096\n");
  hashrl::EnvSpec spec;
  spec.code_length = 48, spec.group_size = 12, spec.batch_size = batch, spec.feature_dim = 4096;
  auto agent = hashrl::make_agent(config, spec);
  agent->module().eval();
  const auto features = torch::randn({batch, 4096});
  hashrl::greedy_codes(*agent, spec, features);  // warm-up
  const auto start = std::chrono::steady_clock::now();
  for (int b = 0; b < batches; ++b) hashrl::greedy_codes(*agent, spec, features);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return batch * batches / seconds;
}

// The same network in torchvision: images/s, or 0 when Debian's python3 has no torchvision.
double torchvision_images_per_second(int threads, int64_t batch, int batches, int64_t channels, int64_t side,
                                     int64_t size, double width, int64_t pool, int64_t fc_dim) {
  const std::string command = fmt::format("/usr/bin/python3 {}/bench/torchvision_encoder.py {} {} {} {} {} {} {} {} {} 1",
                                          hashrl::paths::kSourceDir, threads, batch, batches, channels, side, size,
                                          width, pool, fc_dim);
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return 0;
  double rate = 0;
  if (std::fscanf(pipe, "%lf", &rate) != 1) rate = 0;
  return ::pclose(pipe) == 0 ? rate : 0;
}

void side_by_side(const std::string& label, int threads, const std::string& ini, int64_t batch, int batches,
                  int64_t channels, int64_t side, int64_t size, double width, int64_t pool, int64_t fc_dim) {
  const double ours = images_per_second(ini, channels, side, batch, batches);
  const double theirs = torchvision_images_per_second(threads, batch, batches, channels, side, size, width, pool, fc_dim);
  if (theirs > 0)
    fmt::print("{}: hashrl {:8.1f}, torchvision {:8.1f}, ratio {:.2f}\n", label, ours, theirs, ours / theirs);
  else
    fmt::print("{}: hashrl {:8.1f}, torchvision n/a (no torchvision for /usr/bin/python3)\n", label, ours);
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 0;
  for (int i = 1; i + 1 < argc; i += 2)
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
  // As the CLI does: a fallback BLAS kernel would make every figure a different machine's.
  const std::string blas_note = hashrl::ensure_fast_blas(argv, hashrl::BlasCoreRequest::from_environment());
  if (!blas_note.empty()) fmt::print(stderr, "{}\n", blas_note);
  threads = hashrl::configure_threads(threads);
  hashrl::keep_freed_memory();
  fmt::print("encoder benchmark, {} threads, {} (images/s, eval mode)\n", threads, hashrl::describe_blas());
  const std::string vgg = "[encoder]\nkind = vgg19\n";
  fmt::print("vgg19, 32x32      : {:8.1f}\n", images_per_second(vgg, 3, 32, 64, 4));
  fmt::print("vgg19, 224x224    : {:8.1f}\n", images_per_second(vgg, 3, 224, 8, 2));
  const std::string authors = "[encoder]\nkind = vgg19_bn\nfc_dim = 4096\npool = 7\nimage_size = 32\n";
  side_by_side("authors' sizes (vgg19_bn, 32x32 RGB, pool 7, fc 4096), batch 100", threads, authors, 100, 3, 3, 32,
               32, 1.0, 7, 4096);
  side_by_side("authors' sizes, batch 500                                     ", threads, authors, 500, 1, 3, 32,
               32, 1.0, 7, 4096);
  fmt::print("paper policy's greedy codes (hidden 4096, q = 48), batch 500: {:8.1f}\n",
             paper_policy_images_per_second(500, 2));
  const std::string cpu = "[encoder]\nkind = vgg19_bn\nwidth = 0.25\nfc_dim = 512\npool = 1\nimage_size = 32\n"
                          "channels = 1\nmean = 0.5\nstd = 0.5\n";
  side_by_side("drlih-cpu variant (vgg19_bn x0.25, 28 -> 32 grey, pool 1, fc 512), batch 500", threads, cpu, 500, 4, 1,
               28, 32, 0.25, 1, 512);
}
