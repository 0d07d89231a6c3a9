#!/usr/bin/env bash
# On the CUDA machine, in one device call (bench/README.md, "A first CUDA build"): builds hashrl
# against its PyTorch's LibTorch, trains on the GPU, tries NCCL and runs ctest. Needs .devdeps
# from bench/cuda/stage.sh (carried) and $OUT.
exec > >(tee "$OUT/log.txt") 2>&1
start=$(date +%s); stamp() { echo "=== $(( $(date +%s) - start )) s: $*"; }
stamp prepare
source bench/cuda/prepare
nvidia-smi -L; nproc; g++ --version | head -1
stamp configure
cmake -S . -B build-cuda -G Ninja $HASHRL_CUDA_CMAKE_ARGS -DHASHRL_BUILD_PYTHON=OFF -DHASHRL_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  > "$OUT/cmake.log" 2>&1 || { tail -40 "$OUT/cmake.log"; exit 1; }
grep "hashrl:" "$OUT/cmake.log"
stamp build
timeout 300 ninja -C build-cuda -k 0 hashrl hashrl_tests > "$OUT/build.log" 2>&1
echo "ninja exit $?"; grep -E "error:|FAILED" "$OUT/build.log" | sort | uniq | head -40
[ -x build-cuda/hashrl ] || exit 1
B=build-cuda/hashrl
$B --version
# The suspected cause of the test binary's crashes there: libstdc++'s filesystem code, linked
# statically into LibTorch and exported from it (pytorch/pytorch#133437; common/files.h).
torch_cpu="$(python3 -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib", "libtorch_cpu.so"))')"
echo "std::filesystem symbols libtorch_cpu.so exports: $(nm -D --defined-only "$torch_cpu" | c++filt | grep -c 'std::filesystem')"
nm -D --defined-only "$torch_cpu" | c++filt | grep 'std::filesystem' | grep -E 'recursive_directory_iterator|remove_all' | head -4
stamp "synthetic on cuda"
$B train --config tests/synthetic.ini --set env.device=cuda --set train.steps=50 --out /tmp/r1 2>&1 | tail -2
stamp "main job's config on cuda, 1000 steps"
$B train --config configs/drlih-cpu.ini --set env.device=cuda --set data.path=.devdeps/fmnist --set train.steps=1000 --set train.checkpoint_every=0 --out /tmp/r2 2>&1 | grep -E "^train|bits:|warning" | tail -3
stamp "2 ranks on the CPU (Gloo)"
timeout 90 $B train --config tests/synthetic.ini --set env.device=cpu --set train.steps=20 --nproc 2 --out /tmp/r4 2>&1 | tail -3
stamp "2 ranks on the one GPU (NCCL)"
HASHRL_DIST_TIMEOUT=20 timeout 45 $B train --config tests/synthetic.ini --set env.device=cuda --set train.steps=20 --nproc 2 --out /tmp/r5 2>&1 | tail -6
stamp "the same on the CPU, 2 threads, 100 steps"
$B --threads 2 train --config configs/drlih-cpu.ini --set env.device=cpu --set data.path=.devdeps/fmnist --set train.steps=100 --set train.checkpoint_every=0 --out /tmp/r3 2>&1 | grep "^train" | tail -1
stamp tests
[ -x build-cuda/tests/hashrl_tests ] && (cd build-cuda && timeout 90 ctest -j 16 --timeout 80 > "$OUT/ctest.log" 2>&1; tail -30 "$OUT/ctest.log")
stamp done
