// hashrl serve (issue 9): every endpoint and every error, through a real HTTP client on loopback.
#include <catch2/catch.hpp>
#include <stb/stb_image_write.h>
#include <torch/torch.h>

#include <atomic>
#include <csignal>
#include <thread>

#include "hashrl/common/npy.h"
#include "hashrl/data/image_decode.h"
#include "hashrl/train/trainer.h"
#include "hashrl/serve/http_exchange.h"
#include "hashrl/serve/http_server.h"
#include "hashrl/retrieval/index_file.h"
#include "http_client.h"
#include "paths.h"
#include "support.h"

using namespace hashrl;
using test::http_request;

namespace {

// A trained run on Fashion-MNIST that is quick to make: ITQ on pixels (fitted in about a second).
const std::string& fashion_run() {
  static const std::string dir = [] {
    const auto out = test::scratch_dir("serve-run");
    Config config = Config::from_file(std::string(paths::kSourceDir) + "/configs/classic.ini");
    config.set("env.device", "cpu");
    Trainer trainer(config, out);
    trainer.train();
    trainer.evaluate();
    return out;
  }();
  return dir;
}

std::shared_ptr<TrainedRun> shared_run() {
  static auto run = std::make_shared<TrainedRun>(fashion_run());
  return run;
}

// The service on a free loopback port, served by its own threads for the test's lifetime.
struct RunningServer {
  explicit RunningServer(ServerOptions options = {}, ServiceLimits limits = {}, ItemWrites writes = {}) {
    options.port = 0;
    auto service = std::make_shared<QueryService>(shared_run(), limits, writes);
    server = std::make_unique<HttpServer>(options, [service](const ServiceRequest& r) { return service->handle(r); });
    thread = std::thread([this] { server->run(false); });
  }
  ~RunningServer() {
    server->stop();
    thread.join();
  }
  uint16_t port() const { return server->port(); }

  std::unique_ptr<HttpServer> server;
  std::thread thread;
};

std::string png_of(const torch::Tensor& image) {  // uint8 [1, H, W]
  std::string bytes;
  auto append = [](void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size));
  };
  const auto pixels = image.contiguous();
  REQUIRE(stbi_write_png_to_func(append, &bytes, static_cast<int>(image.size(2)), static_cast<int>(image.size(1)), 1,
                                 pixels.data_ptr<uint8_t>(), static_cast<int>(image.size(2))));
  return bytes;
}

// Database item `id`'s raw image: the run's split maps database ids to data set items.
torch::Tensor database_image(int64_t id) {
  static const auto images = [] {
    Config config = Config::from_file(fashion_run() + "/config.ini");
    return load_data(ConfigSection(config, "data"));
  }();
  return images.data.images[images.split.database[id].item<int64_t>()];
}

std::string code_string(int64_t id) {
  std::string out;
  const auto row = shared_run()->db_codes()[id];
  for (int64_t j = 0; j < row.size(0); ++j) out += row[j].item<uint8_t>() ? '1' : '0';
  return out;
}

nlohmann::json post_json(uint16_t port, const nlohmann::json& body, const std::string& target = "/query") {
  const auto result = http_request(port, "POST", target, body.dump(), "application/json");
  INFO(result.body);
  REQUIRE(result.status == 200);
  return result.json();
}

}  // namespace

TEST_CASE("serve answers /health and /info", "[fashion][serve]") {
  RunningServer running;
  const auto health = http_request(running.port(), "GET", "/health");
  CHECK(health.status == 200);
  CHECK(health.json()["status"] == "ok");
  const auto info = http_request(running.port(), "GET", "/info").json();
  CHECK(info["code_length"] == 48);
  CHECK(info["database_size"] == 69000);
  CHECK(info["agent"] == "itq");
  CHECK(info["encoder"] == "identity");
  CHECK(info["input"]["kind"] == "image");
  CHECK(info["input"]["height"] == 28);
  CHECK(info["limits"]["max_k"] == 1000);
}

TEST_CASE("serve answers id, image, pixel and feature queries with the stored codes", "[fashion][serve]") {
  RunningServer running;
  const int64_t id = 1234;
  const auto by_id = post_json(running.port(), {{"id", id}, {"k", 5}});
  CHECK(by_id["code"] == code_string(id));
  REQUIRE(by_id["results"].size() == 5);
  CHECK(by_id["results"][0]["distance"] == 0);
  for (size_t i = 1; i < 5; ++i) {  // (distance, id) order
    const auto& a = by_id["results"][i - 1];
    const auto& b = by_id["results"][i];
    CHECK((a["distance"] < b["distance"] || (a["distance"] == b["distance"] && a["id"] < b["id"])));
  }
  CHECK(by_id["results"][0]["labels"].size() == 1);

  // The image itself, as PNG bytes, as pixels and as (identity-encoder) features: the same code.
  const auto image = database_image(id);
  const auto png = http_request(running.port(), "POST", "/query?k=3", png_of(image), "image/png");
  REQUIRE(png.status == 200);
  CHECK(png.json()["code"] == code_string(id));
  CHECK(png.json()["k"] == 3);
  std::vector<int> pixels(image.data_ptr<uint8_t>(), image.data_ptr<uint8_t>() + image.numel());
  CHECK(post_json(running.port(), {{"pixels", pixels}})["code"] == code_string(id));
  std::vector<float> features;
  for (const int p : pixels) features.push_back(p / 255.0f);
  CHECK(post_json(running.port(), {{"features", features}})["code"] == code_string(id));
  CHECK(post_json(running.port(), {{"id", id}})["results"].size() == 10);  // the default k
}

TEST_CASE("serve answers concurrent image queries correctly (batched encoding)", "[fashion][serve]") {
  RunningServer running(ServerOptions{}, ServiceLimits{});
  std::vector<std::thread> clients;
  std::atomic<int> correct{0};
  for (int c = 0; c < 8; ++c)
    clients.emplace_back([&, c] {
      for (int r = 0; r < 5; ++r) {
        const int64_t id = c * 100 + r;
        const auto result = http_request(running.port(), "POST", "/query?k=1", png_of(database_image(id)), "image/png");
        if (result.status == 200 && result.json()["code"] == code_string(id)) ++correct;
      }
    });
  for (auto& client : clients) client.join();
  CHECK(correct == 40);
}

TEST_CASE("serve answers every client error with the right 4xx and a JSON message", "[fashion][serve]") {
  ServerOptions options;
  options.max_body_bytes = 64 << 10;
  ServiceLimits limits;
  limits.max_k = 50;
  RunningServer running(options, limits);
  const auto port = running.port();
  auto expect = [&](const test::HttpResult& result, int status, const std::string& words) {
    INFO(result.body);
    CHECK(result.status == status);
    const auto body = nlohmann::json::parse(result.body, nullptr, false);
    REQUIRE(body.is_object());
    CHECK(body["status"] == status);
    CHECK_THAT(body["error"].get<std::string>(), Catch::Contains(words));
  };
  const std::string json = "application/json";
  expect(http_request(port, "POST", "/query", "{\"id\": 5", json), 400, "not valid JSON");
  expect(http_request(port, "POST", "/query", "[1, 2]", json), 400, "must be an object");
  expect(http_request(port, "POST", "/query", R"({"id": 1, "pixels": [0]})", json), 400, "exactly one");
  expect(http_request(port, "POST", "/query", R"({"id": "one"})", json), 400, "'id' must be an integer");
  expect(http_request(port, "POST", "/query", R"({"pixels": [1, 2, 3]})", json), 400, "784 numbers");
  expect(http_request(port, "POST", "/query", R"({"features": [1, "a"]})", json), 400, "numbers only");
  expect(http_request(port, "POST", "/query", R"({"id": 69000})", json), 404, "no database item 69000");
  expect(http_request(port, "POST", "/query", R"({"id": -1})", json), 404, "no database item");
  expect(http_request(port, "POST", "/query?k=0", R"({"id": 1})", json), 400, "k must be");
  expect(http_request(port, "POST", "/query?k=abc", R"({"id": 1})", json), 400, "k must be");
  expect(http_request(port, "POST", "/query", R"({"id": 1, "k": 51})", json), 400, "from 1 to 50");
  const auto get_query = http_request(port, "GET", "/query");
  expect(get_query, 405, "POST only");
  CHECK(get_query.allow == "POST");
  expect(http_request(port, "POST", "/health"), 405, "GET only");
  expect(http_request(port, "DELETE", "/info"), 405, "GET only");
  expect(http_request(port, "GET", "/nowhere"), 404, "no such path");
  expect(http_request(port, "POST", "/query", "hello", "text/plain"), 415, "text/plain");
  expect(http_request(port, "POST", "/query", std::string(1000, 'x'), "image/png"), 422, "not an image");
  expect(http_request(port, "POST", "/query", "", "image/png"), 400, "empty");
  expect(http_request(port, "POST", "/query", std::string(100 << 10, 'x'), "image/png"), 413, "larger than the limit");
  // A malformed request line gets a 400 before any handler runs.
  CHECK_THAT(test::raw_exchange(port, "GARBAGE\r\n\r\n", std::chrono::milliseconds(2000)),
             Catch::Contains("400 Bad Request"));
  // And after all of it the server still answers.
  CHECK(http_request(port, "GET", "/health").status == 200);
}

TEST_CASE("serve refuses an image whose header declares too many pixels before decoding it", "[fashion][serve]") {
  ServiceLimits limits;
  limits.max_image_pixels = 100;  // a 28 x 28 image has 784
  RunningServer running(ServerOptions{}, limits);
  const auto result = http_request(running.port(), "POST", "/query", png_of(database_image(0)), "image/png");
  CHECK(result.status == 413);
  CHECK_THAT(result.body, Catch::Contains("28x28"));
}

TEST_CASE("serve bounds connections and closes idle ones", "[fashion][serve]") {
  ServerOptions options;
  options.max_connections = 2;
  options.request_timeout = std::chrono::milliseconds(500);
  RunningServer running(options);
  const auto port = running.port();
  // Two idle connections fill the server; a third gets 503 at once.
  std::vector<std::thread> idle;
  std::vector<std::string> idle_replies(2);
  for (int i = 0; i < 2; ++i)
    idle.emplace_back([&, i] { idle_replies[i] = test::raw_exchange(port, "", std::chrono::milliseconds(3000)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK_THAT(test::raw_exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::milliseconds(2000)),
             Catch::Contains("503"));
  // The idle ones are closed by the request timeout, well before the client's own 3 s wait.
  const auto start = std::chrono::steady_clock::now();
  for (auto& t : idle) t.join();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2500));
  CHECK(idle_replies[0].empty());
  CHECK(http_request(port, "GET", "/health").status == 200);  // room again
}

TEST_CASE("hashrl serve binds to loopback and stops cleanly on SIGTERM and SIGINT", "[fashion][serve]") {
  // Made here, not in the child: it would train its own copy in a scratch folder of its own,
  // which nothing removes (a child execs hashrl and never runs the exit handlers).
  const std::string& run = fashion_run();
  for (const int signal : {SIGTERM, SIGINT}) {
    test::HashrlProcess serve({"--threads", "1", "serve", "--run", run, "--port", "0"});
    REQUIRE(serve.wait_for("(Ctrl-C stops)"));
    INFO(serve.output());
    const auto at = serve.output().find("http://127.0.0.1:");
    REQUIRE(at != std::string::npos);
    const auto port = static_cast<uint16_t>(std::stoi(serve.output().substr(at + 17)));
    CHECK(http_request(port, "GET", "/health").status == 200);
    serve.signal(signal);
    CHECK(serve.wait() == 0);
    CHECK_THAT(serve.output(), Catch::Contains("stopped"));
  }
}

TEST_CASE("serve survives hostile bodies: deep JSON, huge ids, an image that declares a huge size", "[fashion][serve]") {
  QueryService service(shared_run(), ServiceLimits{});
  auto reply = [&](const std::string& body, const std::string& type = "application/json") {
    return service.handle({"POST", "/query", type, body, ""});
  };
  // 100,000 nested arrays (200 KB) overflowed the stack that flattened them.
  const auto deep = reply("{\"pixels\": " + std::string(100000, '[') + "1" + std::string(100000, ']') + "}");
  CHECK(deep.status == 400);
  CHECK_THAT(deep.body["error"].get<std::string>(), Catch::Contains("nests deeper"));
  // A valid [C][H][W] body is well inside the limit.
  const auto image = database_image(0).to(torch::kInt64);
  std::vector<std::vector<std::vector<int64_t>>> nested(1, std::vector<std::vector<int64_t>>(28, std::vector<int64_t>(28)));
  for (int64_t y = 0; y < 28; ++y)
    for (int64_t x = 0; x < 28; ++x) nested[0][y][x] = image[0][y][x].item<int64_t>();
  CHECK(reply(nlohmann::json{{"pixels", nested}}.dump()).status == 200);
  // The largest unsigned id is not item -1; nor is the largest k.
  const auto id = reply(R"({"id": 18446744073709551615})");
  CHECK(id.status == 404);
  CHECK_THAT(id.body["error"].get<std::string>(), Catch::Contains("18446744073709551615"));
  CHECK(reply(R"({"id": 1, "k": 18446744073709551615})").status == 400);
  // A PNG whose header declares 100000 x 100000 is too large (413), not undecodable (422).
  std::string png = png_of(database_image(0));
  const std::string side = {'\0', '\x01', '\x86', '\xa0'};  // 100000, big-endian
  png.replace(16, 4, side);
  png.replace(20, 4, side);
  const auto huge = reply(png, "image/png");
  CHECK(huge.status == 413);
}

TEST_CASE("a reply quoting bytes that are not UTF-8 is still sent (found by fuzz_http)") {
  // The 404 message quotes the path; dumping it as JSON threw, and the exception took the server down.
  HttpRequest request{boost::beast::http::verb::get, "/q\xf0" "ery", 11};
  const auto response = answer(request, [](const ServiceRequest& r) -> ServiceReply {
    return {404, {{"error", "no such path '" + r.target + "'"}, {"status", 404}}, {}};
  });
  CHECK(response.result_int() == 404);
  CHECK_THAT(response.body(), Catch::Contains("no such path"));
}

TEST_CASE("image headers that declare absurd sizes are refused without overflow (found by fuzz_http)") {
  // A PNG header of 4294967295 x 4294967295: its pixel count overflowed int64 (UBSan).
  std::string png = "\x89PNG\r\n\x1a\n" + std::string("\0\0\0\x0dIHDR", 8) + std::string(8, '\xff') + std::string(5, '\0');
  CHECK_FALSE(read_image_header(png).has_value());
  // One of 100000 x 100000, too large for the decoder, is recognised as such.
  png.replace(16, 8, std::string("\0\x01\x86\xa0\0\x01\x86\xa0", 8));
  const auto header = read_image_header(png);
  REQUIRE(header.has_value());
  CHECK(header->too_large);
  CHECK(header->width == 100000);
}

TEST_CASE("serve searches through the index --index names, and says whether it is exact", "[fashion][serve]") {
  QueryService exact(shared_run(), ServiceLimits{});
  ServiceLimits hnsw_limits;
  hnsw_limits.index = "BHNSW16";
  QueryService hnsw(shared_run(), hnsw_limits);
  const auto info = hnsw.handle({"GET", "/info", "", "", ""});
  CHECK(info.body["index"]["kind"] == "BHNSW16");
  CHECK(info.body["index"]["exact"] == false);
  CHECK(exact.handle({"GET", "/info", "", "", ""}).body["index"]["exact"] == true);
  const auto a = exact.handle({"POST", "/query", "application/json", R"({"id": 5, "k": 10})", ""});
  const auto b = hnsw.handle({"POST", "/query", "application/json", R"({"id": 5, "k": 10})", ""});
  REQUIRE(a.status == 200);
  REQUIRE(b.status == 200);
  CHECK(a.body["exact"] == true);
  CHECK(b.body["exact"] == false);
  // Up to k hits in distance order, none nearer than the exact scan's nearest. Nothing more is
  // promised: FAISS builds the graph on several threads, so which true neighbours it misses can
  // differ from run to run.
  const auto& hits = b.body["results"];
  REQUIRE(!hits.empty());
  CHECK(hits.size() <= 10);
  for (size_t i = 1; i < hits.size(); ++i) CHECK(hits[i - 1]["distance"] <= hits[i]["distance"]);
  CHECK(hits[0]["distance"] >= a.body["results"][0]["distance"]);
  ServiceLimits bad;
  bad.index = "BNope";
  CHECK_THROWS_WITH(QueryService(shared_run(), bad), Catch::Contains("'BNope'"));
}

namespace {

ItemWrites writable(const std::string& name, const std::string& token = "") {
  ItemWrites writes;
  writes.items_dir = test::scratch_dir(name);
  writes.token = token;
  writes.max_items = 50;
  return writes;
}

std::vector<int> pixels_of(const torch::Tensor& image) {
  return {image.data_ptr<uint8_t>(), image.data_ptr<uint8_t>() + image.numel()};
}

}  // namespace

TEST_CASE("serve adds items (image, pixels, batches) that queries find and GET /items returns", "[fashion][serve]") {
  RunningServer running(ServerOptions{}, ServiceLimits{}, writable("serve-add"));
  const auto port = running.port();
  const auto image = database_image(7);  // its code is database item 7's
  const auto by_image = http_request(port, "POST", "/items?labels=1,3", png_of(image), "image/png");
  INFO(by_image.body);
  REQUIRE(by_image.status == 201);
  CHECK(by_image.json()["ids"] == nlohmann::json::array({69000}));
  CHECK(by_image.json()["codes"][0] == code_string(7));

  const nlohmann::json batch = {{"items", {{{"pixels", pixels_of(database_image(8))}, {"labels", {2}}},
                                           {{"pixels", pixels_of(database_image(9))}}}}};
  const auto added = http_request(port, "POST", "/items", batch.dump(), "application/json");
  REQUIRE(added.status == 201);
  CHECK(added.json()["ids"] == nlohmann::json::array({69001, 69002}));
  CHECK(added.json()["database_size"] == 69003);
  CHECK(http_request(port, "GET", "/info").json()["database_size"] == 69003);

  const auto item = http_request(port, "GET", "/items/69000").json();
  CHECK(item["code"] == code_string(7));
  CHECK(item["labels"] == nlohmann::json::array({1, 3}));
  CHECK(item["added"] == true);
  CHECK(http_request(port, "GET", "/items/8").json()["added"] == false);
  CHECK(http_request(port, "GET", "/items/69003").status == 404);
  CHECK(http_request(port, "GET", "/items/x1").status == 400);
  CHECK(http_request(port, "POST", "/items/3").status == 405);

  // A query by the added item's id, and by its image, finds it at distance 0 with its labels.
  const auto found = post_json(port, {{"id", 69002}, {"k", 1000}});
  CHECK(found["code"] == code_string(9));
  bool listed = false;
  for (const auto& hit : found["results"]) listed |= hit["id"] == 69002 && hit["distance"] == 0;
  CHECK(listed);

  // Refused whole, nothing added: bad labels, too many items, an 'id', a wrong shape.
  const auto bad_label = http_request(port, "POST", "/items", R"({"features": [1], "labels": [10]})", "application/json");
  CHECK(bad_label.status == 400);
  nlohmann::json many = {{"items", nlohmann::json::array()}};
  for (int i = 0; i < 51; ++i) many["items"].push_back({{"pixels", pixels_of(image)}});
  CHECK(http_request(port, "POST", "/items", many.dump(), "application/json").status == 413);
  CHECK(http_request(port, "POST", "/items", R"({"id": 3})", "application/json").status == 400);
  CHECK(http_request(port, "POST", "/items", R"({"pixels": [1, 2]})", "application/json").status == 400);
  CHECK(http_request(port, "GET", "/info").json()["database_size"] == 69003);
}

TEST_CASE("serve's writing endpoint needs the bearer token when there is one, and a read-only service refuses it",
          "[fashion][serve]") {
  const std::string body = nlohmann::json{{"pixels", pixels_of(database_image(3))}}.dump();
  {
    RunningServer running(ServerOptions{}, ServiceLimits{}, writable("serve-token", "s3cret"));
    const auto port = running.port();
    const auto none = http_request(port, "POST", "/items", body, "application/json");
    CHECK(none.status == 401);
    CHECK(none.www_authenticate.rfind("Bearer", 0) == 0);
    CHECK(http_request(port, "POST", "/items", body, "application/json", "Bearer s3cre").status == 401);
    CHECK(http_request(port, "POST", "/items", body, "application/json", "Bearer s3cret!").status == 401);
    CHECK(http_request(port, "POST", "/items", body, "application/json", "Bearer s3cret").status == 201);
    // Reading needs no token.
    CHECK(http_request(port, "GET", "/items/69000").status == 200);
    CHECK(http_request(port, "POST", "/query", R"({"id": 69000})", "application/json").status == 200);
  }
  RunningServer read_only;
  const auto refused = http_request(read_only.port(), "POST", "/items", body, "application/json");
  CHECK(refused.status == 403);
  CHECK_THAT(refused.body, Catch::Contains("read-only"));
  CHECK(http_request(read_only.port(), "GET", "/info").json()["writable"] == false);
}

TEST_CASE("serve answers queries while items are added, and a restart serves what was acknowledged",
          "[fashion][serve]") {
  const auto writes = writable("serve-concurrent");
  std::vector<std::string> acknowledged;
  {
    ServerOptions options;
    options.threads = 4;
    RunningServer running(options, ServiceLimits{}, writes);
    const auto port = running.port();
    std::atomic<bool> adding{true};
    std::atomic<int> queries{0}, failures{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 2; ++t)
      clients.emplace_back([&, t] {
        while (adding) {
          const auto r = http_request(port, "POST", "/query", nlohmann::json{{"id", 100 + t}, {"k", 10}}.dump(),
                                      "application/json");
          if (r.status != 200 || r.json()["results"].size() != 10) ++failures;
          ++queries;
        }
      });
    for (int i = 0; i < 20; ++i) {
      const nlohmann::json body = {{"pixels", pixels_of(database_image(i))}, {"labels", {i % 10}}};
      const auto r = http_request(port, "POST", "/items", body.dump(), "application/json");
      if (r.status != 201) ++failures;
      acknowledged.push_back(r.json()["codes"][0]);
    }
    adding = false;
    for (auto& client : clients) client.join();
    CHECK(failures == 0);
    CHECK(queries > 0);
  }
  RunningServer restarted(ServerOptions{}, ServiceLimits{}, writes);
  CHECK(http_request(restarted.port(), "GET", "/info").json()["added_items"] == 20);
  for (int i = 0; i < 20; ++i) {
    const auto item = http_request(restarted.port(), "GET", "/items/" + std::to_string(69000 + i)).json();
    CHECK(item["code"] == acknowledged[static_cast<size_t>(i)]);
    CHECK(item["labels"] == nlohmann::json::array({i % 10}));
  }
}

TEST_CASE("serve loads an index file instead of indexing the run's codes", "[fashion][serve]") {
  const auto dir = test::scratch_dir("serve-index-file");
  auto index = make_binary_index("BHash3x16", 48);
  index->add(shared_run()->db_codes());
  index->add(shared_run()->db_codes().slice(0, 0, 5));  // five more items, carrying no labels
  const auto labels = torch::cat({shared_run()->db_labels(), torch::zeros({5, shared_run()->db_labels().size(1)},
                                                                          torch::kUInt8)});
  save_index_file(dir + "/db.hidx", *index, labels);
  ServiceLimits limits;
  limits.index = dir + "/db.hidx";
  QueryService service(shared_run(), limits, writable("serve-index-file-items"));
  const auto info = service.handle({"GET", "/info", "", "", ""}).body;
  CHECK(info["index"]["kind"] == "BHash3x16");
  CHECK(info["database_size"] == 69005);
  const auto extra = service.handle({"GET", "/items/69004", "", "", ""});
  CHECK(extra.body["code"] == code_string(4));
  CHECK(extra.body["labels"].empty());
  limits.index = dir + "/missing.hidx";
  CHECK_THROWS_WITH(QueryService(shared_run(), limits), Catch::Contains("missing.hidx"));
}
