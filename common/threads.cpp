#include "hashrl/common/threads.h"

#include <ATen/Parallel.h>

#include <cstdlib>
#include <thread>

#include "hashrl/common/error.h"

namespace hashrl {

int hardware_threads() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

int max_threads() { return 4 * hardware_threads(); }

int parse_thread_count(const std::string& text) {
  const bool digits = !text.empty() && text.size() <= 9 && text.find_first_not_of("0123456789") == std::string::npos;
  const int value = digits ? std::stoi(text) : 0;
  if (value < 1 || value > max_threads())
    fail("--threads must be a whole number from 1 to {} (4 x this machine's {} hardware threads), got '{}'",
         max_threads(), hardware_threads(), text);
  return value;
}

int configure_threads(int requested) {
  if (requested <= 0) {
    // Ranks of a data-parallel run on one machine share its cores: two ranks of 2 threads each on
    // 2 cores run 5-20x slower than two of one, not 2x (OpenMP spinning).
    const char* local_ranks = std::getenv("LOCAL_WORLD_SIZE");
    const int ranks = local_ranks ? std::max(1, std::atoi(local_ranks)) : 1;
    requested = std::max(1, hardware_threads() / ranks);
  }
  at::set_num_threads(requested);
  return at::get_num_threads();
}

}  // namespace hashrl
