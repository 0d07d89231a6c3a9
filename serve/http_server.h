#pragma once
// A small HTTP/1.1 server on Boost.Beast and Boost.Asio: one io_context run by a pool of threads,
// each connection on its own strand, keep-alive, and limits that bound what a client can make it
// hold. It knows nothing of hashing: every request goes to a handler (QueryService::handle).
//
// What it answers itself, as JSON {"error", "status"} before the handler sees anything:
//   413  a body over max_body_bytes          431  headers over max_header_bytes
//   400  a request that does not parse        503  a connection over max_connections
// A connection that sends nothing for request_timeout is closed (slow clients cannot pin it).
// SIGINT or SIGTERM stops it within stop_grace whatever its threads are doing: requests still
// running then are abandoned and the process exits at once (an add is durable before it is
// answered, so an abandoned one was never acknowledged).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "hashrl/serve/query_service.h"

namespace hashrl {

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  uint16_t port = 8080;            // 0: any free port (see HttpServer::port())
  int threads = 4;                 // threads running the io_context
  int64_t max_body_bytes = 4 << 20;  // memory is bounded by max_connections x this
  int64_t max_header_bytes = 16 << 10;
  int64_t max_connections = 256;
  std::chrono::milliseconds request_timeout{10000};
  // After SIGINT/SIGTERM, how long requests still running may take to finish before the process
  // exits without them (status 0, a line on stderr). A search that runs for minutes must not
  // keep a server alive that was told to stop.
  std::chrono::milliseconds stop_grace{3000};
};

class HttpServer {
 public:
  using Handler = std::function<ServiceReply(const ServiceRequest&)>;

  // Binds and listens at once; throws naming host and port when it cannot.
  HttpServer(ServerOptions options, Handler handler);
  ~HttpServer();

  uint16_t port() const;  // the bound port
  // Serves until stop() is called or, with stop_on_signals, SIGINT or SIGTERM arrives; then
  // closes the listener and every connection and returns once the requests running have been
  // answered. With stop_on_signals, a signal is waited for on a thread of its own, so it is heard
  // while every request thread is busy, and the process exits if they are still busy after
  // options.stop_grace.
  void run(bool stop_on_signals);
  // Thread-safe; requests already running are answered first.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hashrl
