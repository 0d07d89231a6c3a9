#pragma once
// One HTTP exchange apart from sockets: the limits a request is parsed under, and the response to
// a parsed request or to a read that failed. HttpServer's sessions send these; the HTTP fuzz
// target (tests/fuzz/) drives the same code with arbitrary bytes.
#include <boost/beast/http.hpp>

#include <functional>
#include <optional>

#include "hashrl/serve/query_service.h"

namespace hashrl {

struct ServerOptions;

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;
using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;
using RequestHandler = std::function<ServiceReply(const ServiceRequest&)>;

// Sets the parser's header and body limits from the options.
void limit_parser(RequestParser& parser, const ServerOptions& options);

// The handler's reply as HTTP; a handler that throws becomes a 500 naming the exception.
HttpResponse answer(const HttpRequest& request, const RequestHandler& handler);

// The answer to a read that failed: 413 (body limit), 431 (header limit), 400 (does not parse);
// nullopt when there is nobody to answer (end of stream, timeout, a reset).
std::optional<HttpResponse> answer_read_error(boost::beast::error_code ec, const ServerOptions& options);

// A JSON response {"error", "status"} that closes the connection (503 when full, the read errors).
HttpResponse error_response(int status, const std::string& message);

}  // namespace hashrl
