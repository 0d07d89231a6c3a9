#pragma once
// LibTorch's intra-op thread pool starts with one thread on Debian's build; hashrl sets it to the
// machine's cores unless told otherwise.
#include <string>

namespace hashrl {

// The machine's hardware threads (at least 1).
int hardware_threads();

// The most threads --threads accepts: 4 x the hardware threads. More only oversubscribes the
// cores (OpenMP spins), and 100,000 threads never got as far as the first step.
int max_threads();

// Reads a --threads value: a whole decimal number from 1 to max_threads(); throws naming the flag,
// the value and the range otherwise ("5abc" is not 5).
int parse_thread_count(const std::string& text);

// Sets LibTorch's intra-op threads: `requested` > 0 is taken as is, anything else means every
// hardware thread — divided among the local ranks when LOCAL_WORLD_SIZE says there are several
// (torchrun, hashrl train --nproc). Returns the number now in use.
int configure_threads(int requested = 0);

}  // namespace hashrl
