#include "hashrl/common/threads.h"

#include <ATen/Parallel.h>

#include <thread>

#include "hashrl/common/error.h"

namespace hashrl {
namespace {

int hardware_threads() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

}  // namespace

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
  at::set_num_threads(requested > 0 ? requested : hardware_threads());
  return at::get_num_threads();
}

}  // namespace hashrl
