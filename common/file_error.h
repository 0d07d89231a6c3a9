#pragma once
// The error for a file or folder that cannot be opened, read or written: its own type so that
// Python can raise it as an OSError (python/module.cpp), as open() would.
#include "hashrl/common/error.h"

namespace hashrl {

// A file or folder that cannot be opened, read or written (missing, a folder where a file was
// meant, no permission), its path in the message. Python raises it as hashrl.FileError, which is
// an OSError as well as a hashrl.Error. What a file holds, when it is wrong, is a plain Error.
class FileError : public Error {
 public:
  using Error::Error;
};

// Throws hashrl::FileError with a fmt-formatted message that names the path.
template <typename... Args>
[[noreturn]] void fail_file(fmt::format_string<Args...> format, Args&&... args) {
  throw FileError(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace hashrl
