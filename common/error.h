#pragma once
// The one exception type that hashrl throws for bad input and bad configuration. Its message
// always names the thing at fault (a file, a config key, a value), so the command-line tool can
// print it as is and exit non-zero.
#include <c10/util/ArrayRef.h>
#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace hashrl {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A value that is not finite where the computation needs one (a diverged policy's probabilities):
// the trainer turns it into "training stopped at step N: ..." naming its last good checkpoint.
class NonFiniteError : public Error {
 public:
  using Error::Error;
};

// Throws hashrl::Error with a fmt-formatted message.
template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(fmt::format(format, std::forward<Args>(args)...));
}

// LibTorch's messages carry a C++ stack trace ("Exception raised from ... frame #0 ..."), also when
// they arrive wrapped in another exception type: a user gets the sentence, not the frames.
std::string without_backtrace(std::string message);

}  // namespace hashrl

// Tensor shapes (t.sizes()) in messages, printed as [3, 4].
template <>
struct fmt::formatter<c10::ArrayRef<int64_t>> : fmt::formatter<std::string> {
  template <typename FormatContext>
  auto format(c10::ArrayRef<int64_t> shape, FormatContext& ctx) const {
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
    return fmt::formatter<std::string>::format(text + "]", ctx);
  }
};
