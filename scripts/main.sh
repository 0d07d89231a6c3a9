#!/usr/bin/env bash
# README's main job: install what is needed, build, then train DRLIH on Fashion-MNIST with the
# CPU default config (configs/drlih-cpu.ini) and print its retrieval metrics.
# Extra arguments go to `hashrl train` (e.g. --set train.steps=100).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/hashrl data --config configs/drlih-cpu.ini
./build/hashrl train --config configs/drlih-cpu.ini --out runs/drlih-cpu "$@"
