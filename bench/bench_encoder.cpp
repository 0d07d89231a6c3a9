// Encoding throughput (images/s, eval mode, no autograd) of vgg19 at 32x32 and 224x224, and of
// the CPU-sized variant that configs/drlih-cpu.ini uses.
// Usage: bench_encoder [--threads N]
#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cstring>

#include "hashrl/common/allocator.h"
#include "hashrl/common/threads.h"
#include "hashrl/encoders/encoder.h"

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

}  // namespace

int main(int argc, char** argv) {
  int threads = 0;
  for (int i = 1; i + 1 < argc; i += 2)
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
  threads = hashrl::configure_threads(threads);
  hashrl::keep_freed_memory();
  fmt::print("encoder benchmark, {} threads (images/s, eval mode)\n", threads);
  const std::string vgg = "[encoder]\nkind = vgg19\n";
  fmt::print("vgg19, 32x32      : {:8.1f}\n", images_per_second(vgg, 3, 32, 64, 4));
  fmt::print("vgg19, 224x224    : {:8.1f}\n", images_per_second(vgg, 3, 224, 8, 2));
  const std::string cpu = "[encoder]\nkind = vgg19_bn\nwidth = 0.25\nfc_dim = 512\npool = 1\nimage_size = 32\n"
                          "channels = 1\nmean = 0.5\nstd = 0.5\n";
  fmt::print("drlih-cpu variant (vgg19_bn x0.25, 28 -> 32, grey): {:8.1f}\n", images_per_second(cpu, 1, 28, 500, 4));
}
