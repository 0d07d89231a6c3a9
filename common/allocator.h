#pragma once
// Makes glibc's malloc keep freed memory for reuse instead of returning it to the kernel.
//
// Autograd allocates and frees tensors of tens of MiB every step (a 4096 x 4096 weight gradient
// is 64 MiB). glibc serves blocks that large with mmap and unmaps them on free, so every step
// page-faults its memory in afresh: measured in bench/bench_train, the paper-size policy ran
// 0.13 steps/s with the default and 0.23 with this (and system time fell from 20 s to 2 s).
// The price: resident memory stays at the run's peak. Called by the hashrl tool and benchmarks.
namespace hashrl {

void keep_freed_memory();

}  // namespace hashrl
