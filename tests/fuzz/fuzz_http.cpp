// libFuzzer target: the bytes a client sends, through the server's parser (with its limits), the
// routes and the response writer, as one connection of `hashrl serve` handles them.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/write.hpp>

#include <cstdio>
#include <sstream>

#include "fuzz_main.h"
#include "fuzz_service.h"
#include "hashrl/serve/http_exchange.h"
#include "hashrl/serve/http_server.h"

HASHRL_FUZZ_TARGET(data, size) {
  namespace http = boost::beast::http;
  hashrl::ServerOptions options;
  options.max_body_bytes = 4096;
  options.max_header_bytes = 1024;
  const hashrl::RequestHandler handler = [](const hashrl::ServiceRequest& r) { return hashrl::fuzz::service().handle(r); };
  boost::asio::const_buffer input(data, size);
  // Requests one after another on the connection, as keep-alive allows.
  while (true) {
    hashrl::RequestParser parser;
    parser.eager(true);
    hashrl::limit_parser(parser, options);
    boost::beast::error_code ec;
    const size_t used = parser.put(input, ec);
    input += used;
    if (ec == http::error::need_more || (!ec && !parser.is_done())) {  // the connection ends here
      if (!parser.got_some()) return;  // as the server: end of stream, nobody to answer
      ec = {};
      parser.put_eof(ec);
    }
    std::optional<hashrl::HttpResponse> response;
    if (ec) response = hashrl::answer_read_error(ec, options);
    else response = hashrl::answer(parser.get(), handler);
    if (!response) return;
    if (response->result_int() >= 500) {
      std::fprintf(stderr, "server error: %s\n", response->body().c_str());
      __builtin_trap();
    }
    std::ostringstream wire;
    wire << *response;
    if (ec || !response->keep_alive() || input.size() == 0 || used == 0) return;
  }
}
