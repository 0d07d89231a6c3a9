#include "hashrl/serve/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <csignal>
#include <optional>
#include <thread>
#include <vector>

#include "hashrl/common/error.h"

namespace hashrl {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

http::response<http::string_body> json_response(int status, const nlohmann::json& body, unsigned version,
                                                bool keep_alive) {
  http::response<http::string_body> response{static_cast<http::status>(status), version};
  response.set(http::field::server, "hashrl");
  response.set(http::field::content_type, "application/json");
  response.keep_alive(keep_alive);
  response.body() = body.dump() + "\n";
  response.prepare_payload();
  return response;
}

nlohmann::json error_body(int status, const std::string& message) { return {{"error", message}, {"status", status}}; }

// One connection: read a request, answer it, repeat while the client keeps it alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const ServerOptions& options, const HttpServer::Handler& handler,
          std::atomic<int64_t>& open)
      : stream_(std::move(socket)), options_(options), handler_(handler), open_(open) {
    ++open_;
  }
  ~Session() { --open_; }

  void start() { read(); }

  // Answers 503 and closes: the server is at its connection limit.
  void refuse() {
    respond(json_response(503, error_body(503, "too many connections; try again"), 11, false));
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(static_cast<uint64_t>(options_.max_body_bytes));
    parser_->header_limit(static_cast<uint32_t>(options_.max_header_bytes));
    stream_.expires_after(options_.request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted)
      return close();
    if (ec == http::error::body_limit)
      return respond(json_response(413, error_body(413, fmt::format("the body is larger than the limit of {} bytes",
                                                                    options_.max_body_bytes)), 11, false));
    if (ec == http::error::header_limit)
      return respond(json_response(431, error_body(431, "the request headers are too large"), 11, false));
    if (ec && ec.category() == http::make_error_code(http::error::bad_target).category())  // does not parse
      return respond(json_response(400, error_body(400, "malformed HTTP request: " + ec.message()), 11, false));
    if (ec) return close();  // reset by the peer and the like: nobody to answer

    const auto& request = parser_->get();
    ServiceRequest service_request{std::string(request.method_string()), std::string(request.target()),
                                   std::string(request[http::field::content_type]), request.body()};
    ServiceReply reply;
    try {
      reply = handler_(service_request);
    } catch (const std::exception& e) {
      reply = {500, error_body(500, e.what()), {}};
    }
    auto response = json_response(reply.status, reply.body, request.version(), request.keep_alive());
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    respond(std::move(response));
  }

  void respond(http::response<http::string_body> response) {
    response_ = std::move(response);
    stream_.expires_after(options_.request_timeout);
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || !self->response_.keep_alive()) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  const ServerOptions& options_;
  const HttpServer::Handler& handler_;
  std::atomic<int64_t>& open_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions o, Handler h)
      : options(std::move(o)), handler(std::move(h)), acceptor(net::make_strand(io)), signals(io) {}

  void accept() {
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (acceptor.is_open()) accept();  // a failed accept (out of descriptors) is not the end
        return;
      }
      const bool full = open.load() >= options.max_connections;
      auto session = std::make_shared<Session>(std::move(socket), options, handler, open);
      if (full)
        session->refuse();
      else
        session->start();
      accept();
    });
  }

  ServerOptions options;
  Handler handler;
  std::atomic<int64_t> open{0};  // before io: sessions that io still holds count down on destruction
  net::io_context io;
  tcp::acceptor acceptor;
  net::signal_set signals;
};

HttpServer::HttpServer(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {
  const auto& o = impl_->options;
  beast::error_code ec;
  const auto address = net::ip::make_address(o.host, ec);
  if (ec) fail("cannot serve on '{}': not an IP address", o.host);
  const tcp::endpoint endpoint(address, o.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) fail("cannot listen on {}:{}: {}", o.host, o.port, ec.message());
}

HttpServer::~HttpServer() = default;

uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::run(bool stop_on_signals) {
  if (stop_on_signals) {
    impl_->signals.add(SIGINT);
    impl_->signals.add(SIGTERM);
    impl_->signals.async_wait([this](beast::error_code ec, int) {
      if (!ec) stop();
    });
  }
  impl_->accept();
  std::vector<std::thread> pool;
  for (int i = 1; i < impl_->options.threads; ++i) pool.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& thread : pool) thread.join();
}

void HttpServer::stop() {
  // Everything on the io_context's threads: closing the acceptor and stopping the loop there
  // needs no locks. Open connections are abandoned with the loop; their sockets close with it.
  net::post(impl_->acceptor.get_executor(), [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->signals.cancel(ignored);
    impl_->io.stop();
  });
}

}  // namespace hashrl
