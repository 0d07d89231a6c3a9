#!/usr/bin/env bash
# README's test command: install what is needed, build, and run the whole Catch2 suite via ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd build
ctest --output-on-failure --parallel "$(nproc)" --timeout 900
