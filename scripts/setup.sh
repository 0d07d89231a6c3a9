#!/usr/bin/env bash
# Installs the Debian packages hashrl needs. Idempotent: packages already present are skipped, so
# running it again costs one dpkg query.
#   bash scripts/setup.sh        everything: the build, the tests, the Python module, sanitizers
#   bash scripts/setup.sh main   only what the main job (scripts/main.sh) builds and runs
set -euo pipefail

# What building and running build/hashrl needs.
main_packages=(
  build-essential cmake ninja-build ccache pkg-config
  libtorch-dev                 # LibTorch 1.13, CPU
  libopenblas0-openmp          # replaces the reference BLAS behind libblas.so.3 (20-50x faster mm)
  libboost-program-options-dev libboost-dev
  libfmt-dev nlohmann-json3-dev libstb-dev zlib1g-dev
  librange-v3-dev              # range pipelines (protocol splits, config lists)
  libfaiss-dev                 # FAISS binary indexes behind retrieval/BinaryIndex (CPU)
  libgloo-dev                  # data-parallel training: c10d's Gloo process group (train/distributed.h)
  dataset-fashion-mnist        # the default data set
  gnuplot-nox                  # plots of the retrieval curves
)
# What the tests, the benchmarks, the Python module and CI's sanitizer and fuzz stages add.
test_packages=(
  catch2                       # v2.13, the test framework
  wrk                          # bench/serve_load.sh: the HTTP load test
  python3-torchvision          # tests only: the VGG round trip against torchvision (system python3)
  pybind11-dev python3-dev python3-pytest   # the Python module (system python3, which has torch)
  clang-14 libclang-rt-14-dev llvm-14   # scripts/sanitize.sh and fuzz.sh: ASan, UBSan, libFuzzer, symbolizer
)

case "${1:-all}" in
  main) packages=("${main_packages[@]}") ;;
  all) packages=("${main_packages[@]}" "${test_packages[@]}") ;;
  *) echo "setup.sh: unknown set '$1' (use 'main' or 'all')" >&2; exit 2 ;;
esac

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
