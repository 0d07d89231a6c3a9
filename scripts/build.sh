#!/usr/bin/env bash
# Configures and builds all of hashrl (Release) into build/, after installing what it needs: the
# tool (build/hashrl), the tests, the benchmarks and the Python module. scripts/main.sh builds
# the tool alone. Extra arguments go to CMake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh all
# Explicit ON: main.sh configures the same build/ with them OFF, and CMake's cache would keep that.
cmake -S . -B build -G Ninja -DHASHRL_BUILD_TESTS=ON -DHASHRL_BUILD_BENCH=ON -DHASHRL_BUILD_PYTHON=ON "$@" >/dev/null
cmake --build build --parallel "$(nproc)"
