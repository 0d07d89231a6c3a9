// libFuzzer target: the JSON body of POST /query (ids, pixels, features, k).
#include "fuzz_main.h"
#include "fuzz_service.h"

HASHRL_FUZZ_TARGET(data, size) {
  const auto reply = hashrl::fuzz::service().handle(
      {"POST", "/query", "application/json", std::string(reinterpret_cast<const char*>(data), size)});
  // Every answer is a success or a client error, never a server error.
  if (reply.status >= 500) __builtin_trap();
}
