#!/usr/bin/env bash
# Runs each libFuzzer target of tests/fuzz for SECONDS (default 60) on its seed corpus, one after
# another, and fails on the first crash, leak of a sanitizer report or escaped exception; the input
# that caused it is kept under build-asan/fuzz/<target>/ with a line saying how to replay it.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET ...]     targets: npy idx cifar10 image_list image ini
#                                                            query_json http index_factory plugin
# Builds build-asan first when needed (scripts/sanitize.sh builds it too).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(npy idx cifar10 image_list image ini query_json http index_factory plugin)
if [ ! -f build-asan/build.ninja ]; then
  bash scripts/setup.sh
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DHASHRL_FUZZ=ON -DHASHRL_OPENMP=OFF -DHASHRL_BUILD_BENCH=OFF >/dev/null
fi
cmake --build build-asan --parallel "$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14  # llvm-14 has no unversioned name
export OMP_NUM_THREADS=1
for target in "${targets[@]}"; do
  work=build-asan/fuzz/$target
  mkdir -p "$work/corpus"
  log="$work/log.txt"
  # New inputs go to the work corpus; the seeds in tests/fuzz/corpus stay as they are checked in.
  if ! build-asan/tests/fuzz/fuzz_"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz $target: CRASH after $(grep -c '' "$log") log lines; input kept in $work/ (replay: build-asan/tests/fuzz/fuzz_$target FILE)"
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz $target: ${runs} inputs in ${seconds} s, 0 crashes"
done
