#!/usr/bin/env bash
# Installs hashrl into a scratch prefix, then configures, builds and runs an out-of-tree example
# against it with find_package(hashrl): proof that the exported package is complete.
# Usage: out_of_tree.sh BUILD_DIR EXAMPLE_DIR [example args...]
set -euo pipefail
build=$1 example=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$example" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$work/prefix" "${launcher[@]}" >/dev/null
cmake --build "$work/build" >/dev/null
cd "$work"
exe=$(find "$work/build" -maxdepth 1 -type f -executable | head -n 1)
"$exe" "$@"
