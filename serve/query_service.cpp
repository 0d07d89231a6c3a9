#include "hashrl/serve/query_service.h"

#include <torch/torch.h>

#include <cmath>

#include "hashrl/common/error.h"
#include "hashrl/data/image_decode.h"

namespace hashrl {
namespace {

// A client's mistake: becomes a 4xx reply, never a crash.
struct RequestError {
  int status;
  std::string message;
};

[[noreturn]] void reject(int status, std::string message) { throw RequestError{status, std::move(message)}; }

ServiceReply error_reply(int status, const std::string& message) {
  return {status, {{"error", message}, {"status", status}}, {}};
}

// "a=1&k=5" -> the value of `key`, or "".
std::string query_parameter(const std::string& query, const std::string& key) {
  size_t start = 0;
  while (start <= query.size()) {
    const size_t end = std::min(query.find('&', start), query.size());
    const std::string pair = query.substr(start, end - start);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == key) return eq == std::string::npos ? "" : pair.substr(eq + 1);
    start = end + 1;
  }
  return "";
}

int64_t parse_k(const std::string& text, const ServiceLimits& limits) {
  if (text.empty()) return limits.default_k;
  size_t used = 0;
  int64_t k = 0;
  try {
    k = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || k < 1 || k > limits.max_k)
    reject(400, fmt::format("k must be an integer from 1 to {}, got '{}'", limits.max_k, text));
  return k;
}

// Deeper nesting than any valid query needs ([C][H][W] pixels: 3 levels under the object) is refused
// while parsing: 100,000 nested brackets in a 200 KB body overflowed the stack.
constexpr int kMaxJsonDepth = 16;

nlohmann::json parse_json_body(const std::string& text) {
  const nlohmann::json::parser_callback_t limit_depth = [](int depth, nlohmann::json::parse_event_t event,
                                                            nlohmann::json&) {
    if (depth > kMaxJsonDepth && (event == nlohmann::json::parse_event_t::object_start ||
                                  event == nlohmann::json::parse_event_t::array_start))
      reject(400, fmt::format("the JSON body nests deeper than {} levels", kMaxJsonDepth));
    return true;
  };
  auto body = nlohmann::json::parse(text, limit_depth, /*allow_exceptions=*/false);
  if (body.is_discarded()) reject(400, "the body is not valid JSON");
  return body;
}

// Numbers of a flat or nested JSON array, in order (the nesting is bounded by parse_json_body).
void flatten(const nlohmann::json& value, const std::string& field, std::vector<double>& out, size_t limit) {
  if (value.is_array()) {
    for (const auto& element : value) flatten(element, field, out, limit);
    return;
  }
  if (!value.is_number()) reject(400, fmt::format("'{}' must hold numbers only", field));
  if (out.size() >= limit) reject(400, fmt::format("'{}' holds more than {} numbers", field, limit));
  out.push_back(value.get<double>());
}

torch::Tensor numbers_of(const nlohmann::json& value, const std::string& field, int64_t expected) {
  if (!value.is_array()) reject(400, fmt::format("'{}' must be an array", field));
  std::vector<double> numbers;
  flatten(value, field, numbers, static_cast<size_t>(expected));
  if (static_cast<int64_t>(numbers.size()) != expected)
    reject(400, fmt::format("'{}' must hold {} numbers, got {}", field, expected, numbers.size()));
  for (const double x : numbers)
    if (!std::isfinite(x)) reject(400, fmt::format("'{}' holds a value that is not finite", field));
  return torch::tensor(numbers, torch::kFloat64);
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

QueryService::QueryService(std::shared_ptr<TrainedRun> run, ServiceLimits limits)
    : run_(std::move(run)),
      limits_(limits),
      index_(make_binary_index(limits.index, run_->db_codes().size(1))),
      items_([run = run_](const torch::Tensor& items) { return run->encode_items(items); }, limits.batching),
      features_([run = run_](const torch::Tensor& f) { return run->encode_features(f); }, limits.batching) {
  index_->add(run_->db_codes());
}

ServiceReply QueryService::handle(const ServiceRequest& request) {
  const size_t question = request.target.find('?');
  const std::string path = request.target.substr(0, question);
  const std::string query_string = question == std::string::npos ? "" : request.target.substr(question + 1);
  auto only = [&](const char* method) -> std::optional<ServiceReply> {
    if (request.method == method) return std::nullopt;
    auto reply = error_reply(405, fmt::format("{} takes {} only, not {}", path, method, request.method));
    reply.headers.emplace_back("Allow", method);
    return reply;
  };
  try {
    if (path == "/health") {
      if (auto wrong = only("GET")) return *wrong;
      return {200, {{"status", "ok"}}, {}};
    }
    if (path == "/info") {
      if (auto wrong = only("GET")) return *wrong;
      auto info = run_->describe();
      info["limits"] = {{"default_k", limits_.default_k}, {"max_k", limits_.max_k},
                        {"max_image_pixels", limits_.max_image_pixels}};
      info["index"] = {{"kind", limits_.index}, {"exact", index_->exact()}};
      return {200, info, {}};
    }
    if (path == "/query") {
      if (auto wrong = only("POST")) return *wrong;
      return query(request, query_string);
    }
    return error_reply(404, fmt::format("no such path '{}'; the service answers /query, /info and /health", path));
  } catch (const RequestError& e) {
    return error_reply(e.status, e.message);
  }
}

ServiceReply QueryService::query(const ServiceRequest& request, const std::string& query_string) {
  const std::string type = request.content_type.substr(0, request.content_type.find(';'));
  int64_t k = parse_k(query_parameter(query_string, "k"), limits_);
  torch::Tensor code;
  if (type == "application/json") {
    const auto body = parse_json_body(request.body);
    if (!body.is_object()) reject(400, "the JSON body must be an object");
    if (body.contains("k")) {
      if (!body["k"].is_number_integer()) reject(400, "'k' must be an integer");
      k = parse_k(body["k"].dump(), limits_);  // as written: a huge unsigned k is not -1
    }
    code = code_of_json(body);
  } else if (starts_with(type, "image/") || type == "application/octet-stream") {
    code = code_of_image(request.body);
  } else {
    reject(415, fmt::format("Content-Type '{}' is not accepted; send application/json, image/png or image/jpeg",
                            request.content_type));
  }

  nlohmann::json results = nlohmann::json::array();
  const auto labels = run_->db_labels().accessor<uint8_t, 2>();  // no per-element item() on the hot path
  for (const auto& hit : index_->search(code, k)) {
    nlohmann::json ids = nlohmann::json::array();
    for (int64_t l = 0; l < labels.size(1); ++l)
      if (labels[hit.id][l]) ids.push_back(l);
    results.push_back({{"id", hit.id}, {"distance", hit.distance}, {"labels", ids}});
  }
  const auto bits_of_code = code.contiguous();
  const uint8_t* bit = bits_of_code.data_ptr<uint8_t>();
  std::string bits;
  for (int64_t j = 0; j < code.size(0); ++j) bits += bit[j] ? '1' : '0';
  return {200, {{"code", bits}, {"k", k}, {"exact", index_->exact()}, {"results", results}}, {}};
}

torch::Tensor QueryService::code_of_json(const nlohmann::json& body) {
  const int fields = static_cast<int>(body.contains("id")) + body.contains("pixels") + body.contains("features");
  if (fields != 1) reject(400, "the JSON body needs exactly one of 'id', 'pixels' or 'features'");
  const EncoderInput& shape = run_->item_shape();
  if (body.contains("id")) {
    const auto& id = body["id"];
    if (!id.is_number_integer()) reject(400, "'id' must be an integer");
    // Read unsigned ids as unsigned: 18446744073709551615 is not item -1.
    const bool in_range = id.is_number_unsigned() ? id.get<uint64_t>() < static_cast<uint64_t>(index_->size())
                                                  : id.get<int64_t>() >= 0 && id.get<int64_t>() < index_->size();
    if (!in_range) reject(404, fmt::format("no database item {}; ids run from 0 to {}", id.dump(), index_->size() - 1));
    return run_->db_codes()[id.get<int64_t>()];
  }
  if (body.contains("pixels")) {
    if (!shape.images) reject(400, "this run's data set holds features, not images: send 'features'");
    const int64_t count = shape.channels * shape.height * shape.width;
    const auto pixels = numbers_of(body["pixels"], "pixels", count);
    if (((pixels < 0) | (pixels > 255) | (pixels != pixels.round())).any().item<bool>())
      reject(400, "'pixels' must be integers from 0 to 255");
    return items_.encode(pixels.to(torch::kUInt8).reshape(shape.item_sizes()));
  }
  const int64_t dim = run_->spec().feature_dim;
  const auto& features = body["features"];
  // A data set of features with an encoder that changes their width takes the raw item.
  const bool raw_item = !shape.images && features.is_array() && static_cast<int64_t>(features.size()) == shape.dim &&
                        shape.dim != dim;
  if (raw_item) return items_.encode(numbers_of(features, "features", shape.dim).to(torch::kFloat32));
  return features_.encode(numbers_of(features, "features", dim).to(torch::kFloat32));
}

torch::Tensor QueryService::code_of_image(const std::string& bytes) {
  const EncoderInput& shape = run_->item_shape();
  if (!shape.images) reject(415, "this run's data set holds features, not images: send JSON 'features'");
  if (bytes.empty()) reject(400, "the body is empty: send the image's bytes");
  // The size the header declares is checked before anything is decoded: a small compressed file
  // must not expand into gigabytes.
  const auto header = read_image_header(bytes);
  if (!header) reject(422, "the body is not an image that can be decoded (PNG, JPEG, BMP, GIF)");
  if (header->too_large || header->width * header->height > limits_.max_image_pixels)
    reject(413, fmt::format("the image has {}x{} pixels, more than the limit of {}", header->width, header->height,
                            limits_.max_image_pixels));
  torch::Tensor image;
  try {
    image = decode_image(bytes, DecodeOptions{shape.channels, shape.height, shape.width}, "the uploaded image");
  } catch (const Error& e) {
    reject(422, e.what());  // a header that decodes, and data that does not
  }
  return items_.encode(image);
}

}  // namespace hashrl
