#pragma once
// A real HTTP/1.1 client for the server tests (Boost.Beast, synchronous), and a raw socket for
// what no well-behaved client would send.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace hashrl::test {

struct HttpResult {
  int status = 0;
  std::string body;
  std::string allow;  // the Allow header
  std::string www_authenticate;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

HttpResult http_request(uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body = "", const std::string& content_type = "",
                        const std::string& authorization = "");

// Writes `bytes` to a fresh loopback connection and returns all that comes back until the server
// closes it or `wait` passes.
std::string raw_exchange(uint16_t port, const std::string& bytes, std::chrono::milliseconds wait);

}  // namespace hashrl::test
