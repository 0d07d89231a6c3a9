#include "hashrl/serve/http_exchange.h"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>

#include "hashrl/serve/http_server.h"

namespace hashrl {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

HttpResponse json_response(int status, const nlohmann::json& body, unsigned version, bool keep_alive) {
  HttpResponse response{static_cast<http::status>(status), version};
  response.set(http::field::server, "hashrl");
  response.set(http::field::content_type, "application/json");
  response.keep_alive(keep_alive);
  // Messages quote what the client sent (a path, a value), which need not be UTF-8: replaced, not
  // thrown on (an invalid byte in the path used to take the whole server down).
  response.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  response.prepare_payload();
  return response;
}

nlohmann::json error_body(int status, const std::string& message) { return {{"error", message}, {"status", status}}; }

}  // namespace

void limit_parser(RequestParser& parser, const ServerOptions& options) {
  parser.body_limit(static_cast<uint64_t>(options.max_body_bytes));
  parser.header_limit(static_cast<uint32_t>(options.max_header_bytes));
}

HttpResponse error_response(int status, const std::string& message) {
  return json_response(status, error_body(status, message), 11, false);
}

HttpResponse answer(const HttpRequest& request, const RequestHandler& handler) {
  const ServiceRequest service_request{std::string(request.method_string()), std::string(request.target()),
                                       std::string(request[http::field::content_type]), request.body(),
                                       std::string(request[http::field::authorization])};
  ServiceReply reply;
  try {
    reply = handler(service_request);
  } catch (const std::exception& e) {
    reply = {500, error_body(500, e.what()), {}};
  }
  auto response = json_response(reply.status, reply.body, request.version(), request.keep_alive());
  for (const auto& [name, value] : reply.headers) response.set(name, value);
  return response;
}

std::optional<HttpResponse> answer_read_error(beast::error_code ec, const ServerOptions& options) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == boost::asio::error::operation_aborted)
    return std::nullopt;
  if (ec == http::error::body_limit)
    return error_response(413, fmt::format("the body is larger than the limit of {} bytes", options.max_body_bytes));
  if (ec == http::error::header_limit) return error_response(431, "the request headers are too large");
  if (ec.category() == http::make_error_code(http::error::bad_target).category())  // does not parse
    return error_response(400, "malformed HTTP request: " + ec.message());
  return std::nullopt;  // reset by the peer and the like: nobody to answer
}

}  // namespace hashrl
