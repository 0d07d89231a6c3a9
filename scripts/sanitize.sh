#!/usr/bin/env bash
# The sanitizer build: everything compiled with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer into build-asan/ (with the libFuzzer targets of tests/fuzz), then the
# fast test subset run in it. Any report (a heap overflow, a use after free, signed overflow,
# a misaligned load...) fails the run. Extra arguments go to the Catch2 test binary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# -O1 keeps the instrumented tests quick to build and to run; line tables name the frames.
CC=clang-14 CXX=clang++-14 cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DHASHRL_FUZZ=ON -DHASHRL_OPENMP=OFF -DHASHRL_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan --parallel "$(nproc)"
# Leak checking is off: LibTorch's static registries are never freed, and it is not instrumented.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14  # llvm-14 has no unversioned name
# The subset: everything but the long learning tests, the Fashion-MNIST runs (minutes each when
# instrumented), the OpenMP check (this build has none) and the torchvision round trip (a script).
build-asan/tests/hashrl_tests "~[slow]~[fashion]~[openmp]~[torchvision]" "$@"
