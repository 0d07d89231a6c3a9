// hashrl serve: a trained run's retrieval service over HTTP (serve/query_service.h for the API).
#include <iostream>

#include "cli.h"
#include "hashrl/serve/http_server.h"

namespace hashrl::cli {

int run_serve(const std::vector<std::string>& args) {
  ServerOptions server;
  ServiceLimits limits;
  po::options_description options("hashrl serve");
  options.add_options()
      ("run", po::value<std::string>()->required(), "a finished `hashrl train` run folder")
      ("port", po::value<uint16_t>()->default_value(server.port), "TCP port (0: any free one)")
      ("host", po::value<std::string>()->default_value(server.host), "address to bind; loopback unless told otherwise")
      ("workers", po::value<int>()->default_value(server.threads), "threads answering connections")
      ("max-body-bytes", po::value<int64_t>()->default_value(server.max_body_bytes), "largest request body (413 above)")
      ("max-connections", po::value<int64_t>()->default_value(server.max_connections), "open connections (503 above)")
      ("request-timeout", po::value<double>()->default_value(server.request_timeout.count() / 1000.0),
       "seconds a connection may take to send a request before it is closed")
      ("default-k", po::value<int64_t>()->default_value(limits.default_k), "results when a query names no k")
      ("max-k", po::value<int64_t>()->default_value(limits.max_k), "largest k a query may ask for")
      ("max-image-pixels", po::value<int64_t>()->default_value(limits.max_image_pixels),
       "largest uploaded image, by its declared width x height (413 above)")
      ("batch-max", po::value<int64_t>()->default_value(limits.batching.max_batch), "most images encoded in one pass")
      ("batch-window-us", po::value<int64_t>()->default_value(limits.batching.window.count()),
       "microseconds an encode waits for concurrent requests to join its batch");
  po::variables_map vm;
  if (!parse("serve", args, options, vm, "--run DIR [--port P] [--host 127.0.0.1]")) return 0;
  auto positive = [&](const char* key) {
    const auto value = vm[key].as<int64_t>();
    if (value < 1) fail("--{} must be at least 1, got {}", key, value);
    return value;
  };
  server.port = vm["port"].as<uint16_t>();
  server.host = vm["host"].as<std::string>();
  server.threads = vm["workers"].as<int>();
  if (server.threads < 1) fail("--workers must be at least 1, got {}", server.threads);
  server.max_body_bytes = positive("max-body-bytes");
  server.max_connections = positive("max-connections");
  const double timeout = vm["request-timeout"].as<double>();
  if (!(timeout > 0)) fail("--request-timeout must be positive, got {}", timeout);
  server.request_timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout * 1000));
  limits.max_k = positive("max-k");
  limits.default_k = std::min(positive("default-k"), limits.max_k);
  limits.max_image_pixels = positive("max-image-pixels");
  limits.batching.max_batch = positive("batch-max");
  limits.batching.window = std::chrono::microseconds(vm["batch-window-us"].as<int64_t>());

  const std::string run_dir = vm["run"].as<std::string>();
  auto run = std::make_shared<TrainedRun>(run_dir);
  auto service = std::make_shared<QueryService>(run, limits);
  HttpServer http(server, [service](const ServiceRequest& request) { return service->handle(request); });
  const auto info = run->describe();
  // One line, flushed, that scripts and tests wait for.
  std::cout << fmt::format("serving '{}' ({} {}-bit codes) on http://{}:{} (Ctrl-C stops)", run_dir,
                           info["database_size"].get<int64_t>(), info["code_length"].get<int64_t>(), server.host,
                           http.port())
            << std::endl;
  http.run(/*stop_on_signals=*/true);
  std::cout << "stopped" << std::endl;
  return 0;
}

}  // namespace hashrl::cli
