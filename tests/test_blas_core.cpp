// The BLAS kernel choice (common/blas_core.h): the decision on faked CPUs and kernel names, and the
// re-execution path through the CLI, asked for by name (this machine's OpenBLAS may not fall back).
#include <catch2/catch.hpp>

#include <cstdlib>

#include "hashrl/common/blas_core.h"
#include "support.h"

using namespace hashrl;

namespace {

CpuFeatures cpu(bool avx2, bool avx512, bool bf16) {
  CpuFeatures f;
  f.avx2 = f.fma = avx2 || avx512;
  f.avx512f = f.avx512bw = f.avx512dq = f.avx512vl = avx512;
  f.avx512bf16 = bf16;
  return f;
}

}  // namespace

TEST_CASE("a pre-AVX fallback on an AVX2 or AVX-512 CPU gets the best kernel, and nothing else changes") {
  const auto automatic = BlasCoreRequest::parse("auto");
  CHECK(choose_blas_core("Prescott", cpu(true, true, true), automatic, false) == "Cooperlake");
  CHECK(choose_blas_core("Prescott", cpu(true, true, false), automatic, false) == "SkylakeX");
  CHECK(choose_blas_core("Nehalem", cpu(true, false, false), automatic, false) == "Haswell");
  CHECK(choose_blas_core("Prescott", cpu(false, false, false), automatic, false).empty());  // no AVX2: nothing better
  CHECK(choose_blas_core("Haswell", cpu(true, true, true), automatic, false).empty());      // not a fallback
  CHECK(choose_blas_core("Zen", cpu(true, false, false), automatic, false).empty());
  CHECK(choose_blas_core("Prescott", cpu(true, true, true), automatic, true).empty());  // OPENBLAS_CORETYPE set
  CHECK(choose_blas_core("", cpu(true, true, true), automatic, false).empty());         // not OpenBLAS
  CHECK(choose_blas_core("Prescott", cpu(true, true, true), BlasCoreRequest::parse("keep"), false).empty());
  CHECK(choose_blas_core("Cooperlake", cpu(true, true, true), BlasCoreRequest::parse("Haswell"), false) == "Haswell");
  CHECK(choose_blas_core("Haswell", cpu(true, true, true), BlasCoreRequest::parse("Haswell"), false).empty());
  CHECK_THROWS_WITH(BlasCoreRequest::parse(""), Catch::Contains("--blas-core needs a value"));
}

TEST_CASE("a kernel named by --blas-core runs after one re-execution that says so, and keep and OPENBLAS_CORETYPE are left alone") {
  // With a reference BLAS there is nothing to choose; with OPENBLAS_CORETYPE set by the machine,
  // nothing may be overridden.
  if (blas_core_name().empty() || std::getenv("OPENBLAS_CORETYPE")) return;
  const auto [status, out] = test::run_hashrl("--blas-core Haswell --version");
  CHECK(status == 0);
  CHECK_THAT(out, Catch::Contains("OpenBLAS Haswell") && Catch::Contains("OpenBLAS kernel Haswell instead of") &&
                      Catch::Contains("checked against float64"));
  const auto [keep_status, keep_out] = test::run_hashrl("--blas-core keep --version");
  CHECK(keep_status == 0);
  CHECK_THAT(keep_out, Catch::Contains("OpenBLAS " + blas_core_name()) && !Catch::Contains("instead of"));
  ::setenv("OPENBLAS_CORETYPE", "Haswell", 1);
  const auto [user_status, user_out] = test::run_hashrl("--blas-core SkylakeX --version");
  ::unsetenv("OPENBLAS_CORETYPE");
  CHECK_THAT(user_out, Catch::Contains("OpenBLAS Haswell") && !Catch::Contains("instead of"));
  const auto [bad_status, bad_out] = test::run_hashrl("--blas-core= --version");
  CHECK(bad_status == 2);
  CHECK_THAT(bad_out, Catch::Contains("--blas-core needs a value"));
}
