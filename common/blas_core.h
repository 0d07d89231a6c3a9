#pragma once
// OpenBLAS picks its kernel from cpuid when its library loads, before main(). Debian 12's 0.3.21
// does not know some recent CPUs and falls back to Prescott, its oldest kernel: 2048^3 products at
// 63 GFLOP/s instead of 256 on a Xeon with AVX-512 (issue 22). When that happens hashrl re-executes
// itself once with OPENBLAS_CORETYPE set to the best kernel this CPU can run, checks one product
// against float64, and says so in one line. It never overrides an OPENBLAS_CORETYPE already set.
//
// `hashrl --blas-core auto|keep|NAME` (or HASHRL_BLAS_CORE for the benchmarks) controls it:
// auto (the default) acts only on a fallback; keep never acts; NAME asks for that kernel.
#include <string>

namespace hashrl {

// What the CPU can run, as far as the choice of a BLAS kernel goes.
struct CpuFeatures {
  bool avx2 = false, fma = false;
  bool avx512f = false, avx512bw = false, avx512dq = false, avx512vl = false, avx512bf16 = false;
  static CpuFeatures detect();
};

// "auto", "keep" or a kernel name; throws naming the flag on an empty value.
struct BlasCoreRequest {
  static BlasCoreRequest parse(const std::string& text);
  // HASHRL_BLAS_CORE, auto when unset: how the benchmarks, which take no --blas-core, are told.
  static BlasCoreRequest from_environment();
  bool keep = false;
  std::string name;  // empty: auto
};

// The kernel the loaded OpenBLAS uses ("Haswell"), or "" when the BLAS is not OpenBLAS.
std::string blas_core_name();

// The kernel to re-execute with, or "" to keep the current one. A pure function of its inputs,
// so that tests can fake any CPU: acts on `current` only when it is one of OpenBLAS's pre-AVX
// kernels on a CPU with AVX2 or AVX-512 (auto), or when a named kernel differs from it.
std::string choose_blas_core(const std::string& current, const CpuFeatures& cpu, const BlasCoreRequest& request,
                             bool coretype_already_set);

// Called first in main(): may replace the process (execv) with one that has OPENBLAS_CORETYPE
// set, and returns after the re-execution with the line to print ("" when nothing was done).
std::string ensure_fast_blas(char** argv, const BlasCoreRequest& request);

// "OpenBLAS SkylakeX" (or "not OpenBLAS"), for --version, report.json and the benchmarks.
std::string describe_blas();

}  // namespace hashrl
