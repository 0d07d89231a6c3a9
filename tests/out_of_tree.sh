#!/usr/bin/env bash
# Installs hashrl into a scratch prefix, then configures, builds and runs an out-of-tree example
# against it with find_package(hashrl): proof that the exported package is complete. With
# --build-tree, finds the package in BUILD_DIR itself, without an install.
# Usage: out_of_tree.sh [--build-tree] BUILD_DIR EXAMPLE_DIR [example args...]
set -euo pipefail
from_build_tree=0
[ "${1:-}" = --build-tree ] && { from_build_tree=1; shift; }
build=$1 example=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $from_build_tree = 1 ]; then
  prefix=$(cd "$build" && pwd)
else
  prefix=$work/prefix
  cmake --install "$build" --prefix "$prefix" >/dev/null
fi
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$example" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" "${launcher[@]}" >/dev/null
cmake --build "$work/build" >/dev/null
cd "$work"
exe=$(find "$work/build" -maxdepth 1 -type f -executable | head -n 1)
"$exe" "$@"
