#pragma once
// LibTorch's intra-op thread pool starts with one thread on Debian's build; hashrl sets it to the
// machine's cores unless told otherwise.

namespace hashrl {

// Sets LibTorch's intra-op threads: `requested` > 0 is taken as is, anything else means every
// hardware thread. Returns the number now in use.
int configure_threads(int requested = 0);

}  // namespace hashrl
