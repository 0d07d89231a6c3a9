#!/usr/bin/env bash
# Configures and builds hashrl (Release) into build/, after installing what it needs.
# The tool lands at build/hashrl. Extra arguments go to CMake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja "$@" >/dev/null
cmake --build build --parallel "$(nproc)"
