#!/usr/bin/env bash
# README's main job: install what it needs, build the hashrl tool alone (not the tests, benchmarks
# or Python module: scripts/test.sh builds those), then train DRLIH on Fashion-MNIST with the CPU
# default config (configs/drlih-cpu.ini) and print its retrieval metrics and each phase's time.
# Extra arguments go to `hashrl train` (e.g. --set train.steps=100).
set -euo pipefail
cd "$(dirname "$0")/.."

phases=()
phase() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  phases+=("$(printf '%-26s %5d s' "$name" $((SECONDS - start)))")
}
# The options OFF: their packages (Catch2, pybind11) are not installed for the main job.
build_tool="cmake -S . -B build -G Ninja -DHASHRL_BUILD_TESTS=OFF -DHASHRL_BUILD_BENCH=OFF \
  -DHASHRL_BUILD_PYTHON=OFF >/dev/null && cmake --build build --parallel $(nproc) --target hashrl"

phase "install (setup.sh main)" bash scripts/setup.sh main
phase "build (build/hashrl)" bash -c "$build_tool"
phase "data (read and check)" ./build/hashrl data --config configs/drlih-cpu.ini
phase "train + evaluate" ./build/hashrl train --config configs/drlih-cpu.ini --out runs/drlih-cpu "$@"

echo "main.sh phases:"
printf '  %s\n' "${phases[@]}"
printf '  %-26s %5d s\n' total "$SECONDS"
