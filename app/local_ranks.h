#pragma once
// `hashrl train --nproc N`: a data-parallel run on this machine without torchrun. The tool starts
// N copies of itself (the same command line without --nproc) with torchrun's variables set —
// RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR=127.0.0.1, a free MASTER_PORT — and
// waits. When one rank fails, the others are stopped (SIGTERM) and the exit status is the failed
// rank's, with a line naming it.
namespace hashrl::cli {

int run_local_ranks(int nproc);

}  // namespace hashrl::cli
