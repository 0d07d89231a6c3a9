#!/usr/bin/env bash
# Installs every Debian package that hashrl's build, tests and main job need. Idempotent: packages
# already present are skipped, so running it again costs one dpkg query.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libtorch-dev                 # LibTorch 1.13, CPU
  libopenblas0-openmp          # replaces the reference BLAS behind libblas.so.3 (20-50x faster mm)
  libboost-program-options-dev libboost-dev
  libfmt-dev nlohmann-json3-dev libstb-dev zlib1g-dev
  librange-v3-dev              # range pipelines (protocol splits, config lists)
  libfaiss-dev                 # FAISS binary indexes behind retrieval/BinaryIndex (CPU)
  libgloo-dev                  # data-parallel training: c10d's Gloo process group (train/distributed.h)
  catch2                       # v2.13, the test framework
  dataset-fashion-mnist        # the default data set
  gnuplot-nox                  # plots of the retrieval curves
  wrk                          # bench/serve_load.sh: the HTTP load test
  python3-torchvision          # tests only: the VGG round trip against torchvision (system python3)
  pybind11-dev python3-dev python3-pytest   # the Python module (system python3, which has torch)
  clang-14 libclang-rt-14-dev llvm-14   # scripts/sanitize.sh and fuzz.sh: ASan, UBSan, libFuzzer, symbolizer
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi
