#include "http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace hashrl::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

HttpResult http_request(uint16_t port, const std::string& method, const std::string& target, const std::string& body,
                        const std::string& content_type, const std::string& authorization) {
  net::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  if (!content_type.empty()) request.set(http::field::content_type, content_type);
  if (!authorization.empty()) request.set(http::field::authorization, authorization);
  request.body() = body;
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(stream, buffer, parser);
  const auto& response = parser.get();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return {static_cast<int>(response.result_int()), response.body(), std::string(response[http::field::allow]),
          std::string(response[http::field::www_authenticate])};
}

std::string raw_exchange(uint16_t port, const std::string& bytes, std::chrono::milliseconds wait) {
  net::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  if (!bytes.empty()) net::write(stream.socket(), net::buffer(bytes));
  std::string received;
  char chunk[4096];
  stream.expires_after(wait);
  for (;;) {
    beast::error_code ec;
    const size_t n = stream.read_some(net::buffer(chunk), ec);
    received.append(chunk, n);
    if (ec) break;  // closed by the server, or the wait ran out
  }
  return received;
}

}  // namespace hashrl::test
