// hashrl serve: a trained run's retrieval service over HTTP (serve/query_service.h for the API).
#include <filesystem>
#include <iostream>

#include "cli.h"
#include "hashrl/common/error.h"
#include "hashrl/common/files.h"
#include "hashrl/retrieval/index_file.h"
#include "hashrl/serve/http_server.h"

namespace hashrl::cli {
namespace {

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// The token in a file (the first line, without surrounding whitespace): a file, not a flag, so
// that it stays out of `ps` and shell history.
std::string read_token(const std::string& path) {
  std::string text = read_file(path);
  text = text.substr(0, text.find('\n'));
  const auto first = text.find_first_not_of(" \t\r"), last = text.find_last_not_of(" \t\r");
  if (first == std::string::npos) fail("the token file '{}' is empty", path);
  return text.substr(first, last - first + 1);
}

}  // namespace

int run_serve(const std::vector<std::string>& args) {
  ServerOptions server;
  ServiceLimits limits;
  ItemWrites writes;
  po::options_description options("hashrl serve");
  auto text = [](auto value) { return po::value<std::string>()->default_value(fmt::format("{}", value)); };
  options.add_options()
      ("run", po::value<std::string>()->required(), "a finished `hashrl train` run folder")
      ("port", text(server.port), "TCP port, 0 to 65535 (0: any free one)")
      ("host", po::value<std::string>()->default_value(server.host), "address to bind; loopback unless told otherwise")
      ("workers", text(server.threads), "threads answering connections, 1 to 1024")
      ("max-body-bytes", text(server.max_body_bytes), "largest request body (413 above), up to 1 GiB")
      ("max-connections", text(server.max_connections), "open connections (503 above)")
      ("request-timeout", text(server.request_timeout.count() / 1000.0),
       "seconds a connection may take to send a request before it is closed (at most a day)")
      ("stop-grace", text(server.stop_grace.count() / 1000.0),
       "seconds requests still running may take after SIGINT/SIGTERM before the server exits without them, "
       "0 to 3600")
      ("default-k", text(limits.default_k), "results when a query names no k")
      ("max-k", text(limits.max_k), "largest k a query may ask for")
      ("max-image-pixels", text(limits.max_image_pixels),
       "largest uploaded image, by its declared width x height (413 above), up to 2^30")
      ("batch-max", text(limits.batching.max_batch), "most images encoded in one pass, 1 to 65536")
      ("batch-window-us", text(limits.batching.window.count()),
       "microseconds an encode waits for concurrent requests to join its batch, 0 to 1,000,000")
      ("index", po::value<std::string>()->default_value(limits.index),
       "how the database is searched: flat (exact), or a FAISS binary index: BFlat, BIVF<lists>, BHNSW<M>, "
       "BHash<b>, BHash<n>x<b> (docs/serve.md); or an index file that `hashrl index build` wrote")
      ("items-dir", po::value<std::string>(), "where items added by POST /items are kept (default RUN/items)")
      ("read-only", po::bool_switch(), "answer queries only: POST /items is refused (403)")
      ("token-file", po::value<std::string>(),
       "a file holding the bearer token that POST /items requires; needed when --host is not loopback, "
       "unless --read-only")
      ("max-items", text(writes.max_items), "items in one POST /items, 1 to 100,000")
      ("fold-every", text(writes.log.fold_every),
       "added items logged before the log is folded into the items snapshot")
      ("salvage", po::bool_switch(),
       "start even if the items log is damaged before its last record: copy it to items.log.damaged and keep the "
       "records before the damage (without it, such a log is refused and left untouched)");
  po::variables_map vm;
  if (!parse("serve", args, options, vm, "--run DIR [--port P] [--host 127.0.0.1]")) return 0;
  constexpr int64_t kMany = 1'000'000'000;
  server.port = static_cast<uint16_t>(int_flag(vm, "port", 0, 65535));
  server.host = vm["host"].as<std::string>();
  server.threads = static_cast<int>(int_flag(vm, "workers", 1, 1024));
  server.max_body_bytes = int_flag(vm, "max-body-bytes", 1, int64_t{1} << 30);
  server.max_connections = int_flag(vm, "max-connections", 1, kMany);
  server.request_timeout = std::chrono::milliseconds(static_cast<int64_t>(number_flag(vm, "request-timeout", 1e-3, 86400) * 1000));
  server.stop_grace = std::chrono::milliseconds(static_cast<int64_t>(number_flag(vm, "stop-grace", 0, 3600) * 1000));
  limits.max_k = int_flag(vm, "max-k", 1, kMany);
  limits.default_k = std::min(int_flag(vm, "default-k", 1, kMany), limits.max_k);
  limits.max_image_pixels = int_flag(vm, "max-image-pixels", 1, int64_t{1} << 30);
  limits.batching.max_batch = int_flag(vm, "batch-max", 1, 65536);
  limits.batching.window = std::chrono::microseconds(int_flag(vm, "batch-window-us", 0, 1'000'000));
  limits.index = vm["index"].as<std::string>();
  writes.max_items = int_flag(vm, "max-items", 1, 100'000);
  writes.log.fold_every = int_flag(vm, "fold-every", 1, kMany);
  writes.log.salvage = vm["salvage"].as<bool>();

  const std::string run_dir = vm["run"].as<std::string>();
  const bool read_only = vm["read-only"].as<bool>();
  if (vm.count("token-file")) writes.token = read_token(vm["token-file"].as<std::string>());
  if (!read_only && writes.token.empty() && !is_loopback(server.host))
    fail("serve --host {} takes writes from the network: give --token-file FILE (a bearer token for POST /items), "
         "or --read-only", server.host);
  if (!read_only) writes.items_dir = vm.count("items-dir") ? vm["items-dir"].as<std::string>() : run_dir + "/items";
  // An index file is loaded, and a damaged one refused, before the run's data set is read (seconds
  // to minutes); the service takes it as loaded, so that it is read and checked once.
  if (std::filesystem::is_regular_file(limits.index))
    limits.loaded_index = std::make_shared<IndexFile>(load_index_file(limits.index));
  auto run = std::make_shared<TrainedRun>(run_dir);
  auto service = std::make_shared<QueryService>(run, limits, writes);
  const auto& database = service->database();
  if (database.recovered() > 0 || database.dropped_bytes() > 0)
    std::cout << fmt::format("'{}': {} added items restored{}", writes.items_dir, database.recovered(),
                             database.dropped_bytes() > 0
                                 ? fmt::format(", a torn record of {} bytes (never acknowledged) dropped",
                                               database.dropped_bytes())
                                 : "")
              << std::endl;
  if (!database.salvaged_copy().empty())
    std::cout << fmt::format("'{}': salvaged: the damaged log was copied to '{}'; {} acknowledged item(s) after the "
                             "damage are only there",
                             writes.items_dir, database.salvaged_copy(), database.salvage_lost())
              << std::endl;
  HttpServer http(server, [service](const ServiceRequest& request) { return service->handle(request); });
  const auto info = run->describe();
  // One line, flushed, that scripts and tests wait for.
  std::cout << fmt::format("serving '{}' ({} {}-bit codes{}) on http://{}:{} (Ctrl-C stops)", run_dir,
                           database.size(), info["code_length"].get<int64_t>(), read_only ? ", read-only" : "",
                           server.host, http.port())
            << std::endl;
  http.run(/*stop_on_signals=*/true);
  std::cout << "stopped" << std::endl;
  return 0;
}

}  // namespace hashrl::cli
