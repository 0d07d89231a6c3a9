#include "hashrl/common/error.h"

#include <cctype>

namespace hashrl {

std::string without_backtrace(std::string message) {
  for (const char* marker : {"Exception raised from ", "frame #0"}) {
    const auto at = message.find(marker);
    if (at != std::string::npos) message.erase(at);
  }
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back()))) message.pop_back();
  return message;
}

}  // namespace hashrl
