#!/usr/bin/env bash
# Here, before a device call: puts in .devdeps/ (git-ignored, carried by the call) what a build on
# the CUDA machine needs and that machine lacks — the workplace's Debian packages
# (../shared/device/debs), those hashrl adds (FAISS with the reference BLAS and LAPACK, zlib,
# stb, Gloo's headers) and Debian's Fashion-MNIST for the main job's config. About 46 MiB.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .devdeps/debs .devdeps/extra .devdeps/fmnist
cp ../shared/device/debs/*.deb .devdeps/debs/
(cd .devdeps/extra && apt-get download libfaiss-dev libblas3 liblapack3 libgfortran5 libquadmath0 libgloo-dev \
   zlib1g-dev zlib1g libstb-dev libstb0 2>/dev/null)
cp /usr/share/datasets/fashion-mnist/*.gz .devdeps/fmnist/
du -sh .devdeps
