#include "hashrl/common/blas_core.h"

#include <dlfcn.h>
#include <fmt/format.h>
#include <torch/torch.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "hashrl/common/error.h"

namespace hashrl {
namespace {

// Set in the environment of the re-executed process: the kernel it was started with, so that it
// checks the result instead of deciding again.
constexpr const char* kReexecVariable = "HASHRL_BLAS_REEXEC";

// OpenBLAS's x86-64 kernels from before AVX: a CPU with AVX2 left on one of these is a fallback.
const std::vector<std::string> kPreAvxCores = {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom",
                                               "Katmai", "Coppermine", "Northwood", "Banias", "Opteron",
                                               "Opteron_SSE3", "Barcelona", "Nano", "Bobcat"};

// The best kernel OpenBLAS 0.3.21 has for this CPU, "" when it has none better than pre-AVX ones.
std::string best_core_for(const CpuFeatures& cpu) {
  const bool avx512 = cpu.avx512f && cpu.avx512bw && cpu.avx512dq && cpu.avx512vl;
  if (avx512 && cpu.avx512bf16) return "Cooperlake";
  if (avx512) return "SkylakeX";
  if (cpu.avx2 && cpu.fma) return "Haswell";
  return "";
}

// The largest relative error of a 256 x 192 x 128 product against the same in float64.
double product_error() {
  auto gen = at::detail::createCPUGenerator(0);
  const auto a = at::randn({256, 192}, gen), b = at::randn({192, 128}, gen);
  const auto exact = a.to(torch::kFloat64).mm(b.to(torch::kFloat64));
  return ((a.mm(b).to(torch::kFloat64) - exact).abs().max() / exact.abs().max()).item<double>();
}

}  // namespace

CpuFeatures CpuFeatures::detect() {
  CpuFeatures f;
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
  f.avx512f = __builtin_cpu_supports("avx512f");
  f.avx512bw = __builtin_cpu_supports("avx512bw");
  f.avx512dq = __builtin_cpu_supports("avx512dq");
  f.avx512vl = __builtin_cpu_supports("avx512vl");
  f.avx512bf16 = __builtin_cpu_supports("avx512bf16");
#endif
  return f;
}

BlasCoreRequest BlasCoreRequest::parse(const std::string& text) {
  if (text.empty()) fail("--blas-core needs a value: auto, keep or a kernel name (Haswell, SkylakeX, ...)");
  BlasCoreRequest r;
  if (text == "keep") r.keep = true;
  if (text != "auto" && text != "keep") r.name = text;
  return r;
}

BlasCoreRequest BlasCoreRequest::from_environment() {
  const char* text = std::getenv("HASHRL_BLAS_CORE");
  return parse(text ? text : "auto");
}

std::string blas_core_name() {
  using CoreName = char* (*)();
  const auto get = reinterpret_cast<CoreName>(::dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  const char* name = get ? get() : nullptr;
  return name ? name : "";
}

std::string choose_blas_core(const std::string& current, const CpuFeatures& cpu, const BlasCoreRequest& request,
                             bool coretype_already_set) {
  if (request.keep || coretype_already_set || current.empty()) return "";
  if (!request.name.empty()) return request.name == current ? "" : request.name;
  const bool fallback = std::find(kPreAvxCores.begin(), kPreAvxCores.end(), current) != kPreAvxCores.end();
  return fallback ? best_core_for(cpu) : "";
}

std::string ensure_fast_blas(char** argv, const BlasCoreRequest& request) {
  if (const char* from = std::getenv(kReexecVariable)) {
    // The re-executed process: say what happened, and leave OPENBLAS_CORETYPE for any child.
    const std::string previous = from, wanted = std::getenv("OPENBLAS_CORETYPE") ? std::getenv("OPENBLAS_CORETYPE") : "";
    ::unsetenv(kReexecVariable);
    const std::string now = blas_core_name();
    if (now != wanted)
      return fmt::format("hashrl: OpenBLAS has no kernel '{}'; it runs '{}'", wanted, now);
    const double error = product_error();
    if (!(error < 1e-4)) {
      // A kernel that computes wrongly is worse than a slow one: run once more with the original
      // (which, with OPENBLAS_CORETYPE set, decides nothing again).
      fmt::print(stderr, "hashrl: OpenBLAS kernel {} failed the float64 check (relative error {:.1e}); back to {}\n",
                 now, error, previous);
      ::setenv("OPENBLAS_CORETYPE", previous.c_str(), 1);
      ::execv("/proc/self/exe", argv);
      fail("could not re-execute hashrl to restore the BLAS kernel '{}'", previous);
    }
    return fmt::format("hashrl: OpenBLAS kernel {} instead of {} (checked against float64: relative error {:.1e}; "
                       "--blas-core keep turns this off)", now, previous, error);
  }
  const std::string current = blas_core_name();
  const std::string chosen =
      choose_blas_core(current, CpuFeatures::detect(), request, std::getenv("OPENBLAS_CORETYPE") != nullptr);
  if (chosen.empty()) return "";
  ::setenv("OPENBLAS_CORETYPE", chosen.c_str(), 1);
  ::setenv(kReexecVariable, current.c_str(), 1);
  ::execv("/proc/self/exe", argv);
  // Only reached when the exec failed: carry on with the kernel there is.
  ::unsetenv("OPENBLAS_CORETYPE");
  ::unsetenv(kReexecVariable);
  return fmt::format("hashrl: could not re-execute with OpenBLAS kernel {}; running on {}", chosen, current);
}

std::string describe_blas() {
  const std::string core = blas_core_name();
  return core.empty() ? "not OpenBLAS" : "OpenBLAS " + core;
}

}  // namespace hashrl
