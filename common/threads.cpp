#include "hashrl/common/threads.h"

#include <ATen/Parallel.h>

#include <thread>

namespace hashrl {

int configure_threads(int requested) {
  int threads = requested;
  if (threads <= 0) threads = static_cast<int>(std::thread::hardware_concurrency());
  if (threads <= 0) threads = 1;
  at::set_num_threads(threads);
  return at::get_num_threads();
}

}  // namespace hashrl
