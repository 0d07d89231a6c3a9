#include "hashrl/serve/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "hashrl/common/error.h"
#include "hashrl/serve/http_exchange.h"

namespace hashrl {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

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
  void refuse() { respond(error_response(503, "too many connections; try again")); }

 private:
  void read() {
    parser_.emplace();
    limit_parser(*parser_, options_);
    stream_.expires_after(options_.request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (!ec) return respond(answer(parser_->get(), handler_));
    if (auto response = answer_read_error(ec, options_)) return respond(std::move(*response));
    close();
  }

  void respond(HttpResponse response) {
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
  std::optional<RequestParser> parser_;
  HttpResponse response_;
  const ServerOptions& options_;
  const HttpServer::Handler& handler_;
  std::atomic<int64_t>& open_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions o, Handler h)
      : options(std::move(o)), handler(std::move(h)), acceptor(net::make_strand(io)) {}

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
  // Signals are heard on a thread and io_context of their own: on the request threads, a signal
  // waited for behind a request that never finishes (a search without end) was never heard.
  net::io_context signal_io;
  net::signal_set signals(signal_io);
  std::mutex mutex;
  std::condition_variable returned_cv;
  bool returned = false;
  std::thread signal_thread;
  if (stop_on_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([&](beast::error_code ec, int number) {
      if (ec) return;
      stop();
      std::unique_lock<std::mutex> lock(mutex);
      if (returned_cv.wait_for(lock, impl_->options.stop_grace, [&] { return returned; })) return;
      std::cerr << fmt::format("{}: requests still running {} ms after the signal are abandoned (none was answered, "
                               "so nothing acknowledged is lost)",
                               ::strsignal(number), impl_->options.stop_grace.count())
                << std::endl;
      std::cout << "stopped" << std::endl;
      std::_Exit(0);  // not exit(): destructors would wait for the busy threads
    });
    signal_thread = std::thread([&signal_io] { signal_io.run(); });
  }
  impl_->accept();
  std::vector<std::thread> pool;
  for (int i = 1; i < impl_->options.threads; ++i) pool.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& thread : pool) thread.join();
  if (stop_on_signals) {
    {
      const std::lock_guard<std::mutex> lock(mutex);
      returned = true;
    }
    returned_cv.notify_all();
    signal_io.stop();  // abandons the wait when no signal came
    signal_thread.join();
  }
}

void HttpServer::stop() {
  // io_context::stop is thread-safe and needs no free request thread: the loop ends as soon as
  // the handlers running return. Open connections are abandoned with the loop; their sockets and
  // the listener close when the server is destroyed.
  impl_->io.stop();
}

}  // namespace hashrl
