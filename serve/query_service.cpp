#include "hashrl/serve/query_service.h"

#include <torch/torch.h>

#include <cmath>

#include "hashrl/common/error.h"
#include "hashrl/common/parse_number.h"
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

// What a POST body holds, by its Content-Type (parameters such as "; charset=" ignored); anything
// else is 415.
enum class BodyKind { kJson, kImage };

BodyKind body_kind(const std::string& content_type) {
  const std::string type = content_type.substr(0, content_type.find(';'));
  if (type == "application/json") return BodyKind::kJson;
  if (starts_with(type, "image/") || type == "application/octet-stream") return BodyKind::kImage;
  reject(415, fmt::format("Content-Type '{}' is not accepted; send application/json, image/png or image/jpeg",
                          content_type));
}

// A JSON body that must be one object.
nlohmann::json json_object_body(const std::string& text) {
  auto body = parse_json_body(text);
  if (!body.is_object()) reject(400, "the JSON body must be an object");
  return body;
}

}  // namespace

QueryService::QueryService(std::shared_ptr<TrainedRun> run, ServiceLimits limits, ItemWrites writes)
    : run_(std::move(run)),
      limits_(limits),
      writes_(std::move(writes)),
      database_(run_->db_codes(), run_->db_labels(),
                DatabaseOptions{limits_.index, writes_.items_dir, writes_.log, limits_.loaded_index}),
      items_([run = run_](const torch::Tensor& items) { return run->encode_items(items); }, limits.batching),
      features_([run = run_](const torch::Tensor& f) { return run->encode_features(f); }, limits.batching) {
  if (writes_.max_items < 1) fail("a POST /items must be allowed 1 item or more, got {}", writes_.max_items);
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
      info["database_size"] = database_.size();
      info["added_items"] = database_.size() - database_.base_size();
      info["limits"] = {{"default_k", limits_.default_k}, {"max_k", limits_.max_k},
                        {"max_image_pixels", limits_.max_image_pixels}, {"max_items", writes_.max_items}};
      info["index"] = {{"kind", database_.description()}, {"exact", database_.exact()}};
      info["writable"] = database_.writable();
      return {200, info, {}};
    }
    if (path == "/query") {
      if (auto wrong = only("POST")) return *wrong;
      return query(request, query_string);
    }
    if (path == "/items") {
      if (auto wrong = only("POST")) return *wrong;
      return add_items(request, query_string);
    }
    if (starts_with(path, "/items/")) {
      if (auto wrong = only("GET")) return *wrong;
      return stored_item(path.substr(std::string("/items/").size()));
    }
    return error_reply(
        404, fmt::format("no such path '{}'; the service answers /query, /items, /items/ID, /info and /health", path));
  } catch (const RequestError& e) {
    auto reply = error_reply(e.status, e.message);
    if (e.status == 401) reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"hashrl\"");
    return reply;
  }
}

namespace {

std::string bit_string(const torch::Tensor& code) {
  const auto bits = code.to(torch::kUInt8).contiguous();
  const uint8_t* bit = bits.data_ptr<uint8_t>();
  std::string out;
  for (int64_t j = 0; j < bits.numel(); ++j) out += bit[j] ? '1' : '0';
  return out;
}

// Compares without stopping at the first difference, so that the time taken does not tell a
// client how much of a guessed token was right.
bool same_secret(const std::string& given, const std::string& expected) {  // expected is never empty
  unsigned char differ = given.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < given.size(); ++i)
    differ |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  return differ == 0;
}

}  // namespace

ServiceReply QueryService::query(const ServiceRequest& request, const std::string& query_string) {
  int64_t k = parse_k(query_parameter(query_string, "k"), limits_);
  torch::Tensor code;
  if (body_kind(request.content_type) == BodyKind::kJson) {
    const auto body = json_object_body(request.body);
    if (body.contains("k")) {
      if (!body["k"].is_number_integer()) reject(400, "'k' must be an integer");
      k = parse_k(body["k"].dump(), limits_);  // as written: a huge unsigned k is not -1
    }
    const int fields = static_cast<int>(body.contains("id")) + body.contains("pixels") + body.contains("features");
    if (fields != 1) reject(400, "the JSON body needs exactly one of 'id', 'pixels' or 'features'");
    if (body.contains("id")) {
      const auto& id = body["id"];
      if (!id.is_number_integer()) reject(400, "'id' must be an integer");
      // Read unsigned ids as unsigned: 18446744073709551615 is not item -1.
      const auto stored = id.is_number_unsigned() && id.get<uint64_t>() > uint64_t{1} << 62
                              ? std::nullopt
                              : database_.item(id.get<int64_t>());
      if (!stored) reject(404, fmt::format("no database item {}; ids run from 0 to {}", id.dump(), database_.size() - 1));
      code = stored->code;
    } else {
      const auto item = item_of_json(body);
      code = item.features ? features_.encode(item.value) : items_.encode(item.value);
    }
  } else {
    code = items_.encode(item_of_image(request.body).value);
  }

  nlohmann::json results = nlohmann::json::array();
  for (const auto& match : database_.search(code, k))
    results.push_back({{"id", match.id}, {"distance", match.distance}, {"labels", match.labels}});
  return {200, {{"code", bit_string(code)}, {"k", k}, {"exact", database_.exact()}, {"results", results}}, {}};
}

ServiceReply QueryService::add_items(const ServiceRequest& request, const std::string& query_string) {
  if (!writes_.token.empty() && !same_secret(request.authorization, "Bearer " + writes_.token))
    reject(401, request.authorization.empty() ? "adding items needs 'Authorization: Bearer <token>'"
                                              : "the bearer token is not the service's");
  if (!database_.writable())
    reject(403, "this service is read-only: start `hashrl serve` with an items folder (--items-dir) to add items");
  std::vector<Item> items;
  std::vector<torch::Tensor> labels;
  if (body_kind(request.content_type) == BodyKind::kJson) {
    const auto body = json_object_body(request.body);
    std::vector<const nlohmann::json*> objects;
    if (body.contains("items")) {
      if (body.size() != 1) reject(400, "a body with 'items' holds nothing else: put 'labels' in each item");
      if (!body["items"].is_array() || body["items"].empty()) reject(400, "'items' must be a non-empty array");
      for (const auto& object : body["items"]) objects.push_back(&object);
    } else {
      objects.push_back(&body);
    }
    if (static_cast<int64_t>(objects.size()) > writes_.max_items)
      reject(413, fmt::format("{} items in one request, more than the limit of {}", objects.size(), writes_.max_items));
    for (const auto* object : objects) {
      if (!object->is_object()) reject(400, "each item must be a JSON object");
      const int fields = static_cast<int>(object->contains("pixels")) + object->contains("features");
      if (fields != 1 || object->contains("id")) reject(400, "each item needs exactly one of 'pixels' or 'features'");
      items.push_back(item_of_json(*object));
      labels.push_back(labels_of(object->contains("labels") ? (*object)["labels"] : nlohmann::json::array(), "labels"));
    }
  } else {
    items.push_back(item_of_image(request.body));
    nlohmann::json ids = nlohmann::json::array();
    const std::string text = query_parameter(query_string, "labels");
    for (size_t start = 0; !text.empty() && start <= text.size();) {
      const size_t end = std::min(text.find(',', start), text.size());
      const auto id = parse_integer(text.substr(start, end - start));
      if (!id) reject(400, fmt::format("'labels' must be class ids separated by commas, got '{}'", text));
      ids.push_back(*id);
      start = end + 1;
    }
    labels.push_back(labels_of(ids, "labels"));
  }

  // Items of one kind are encoded in one pass each, not one by one through the batchers.
  std::vector<torch::Tensor> codes(items.size());
  for (const bool features : {false, true}) {
    std::vector<size_t> which;
    std::vector<torch::Tensor> values;
    for (size_t i = 0; i < items.size(); ++i)
      if (items[i].features == features) {
        which.push_back(i);
        values.push_back(items[i].value);
      }
    if (values.empty()) continue;
    const auto batch = torch::stack(values);
    const auto encoded = features ? run_->encode_features(batch) : run_->encode_items(batch);
    for (size_t j = 0; j < which.size(); ++j) codes[which[j]] = encoded[static_cast<int64_t>(j)];
  }
  const auto ids = database_.add(torch::stack(codes), torch::stack(labels));
  nlohmann::json code_strings = nlohmann::json::array();
  for (const auto& code : codes) code_strings.push_back(bit_string(code));
  return {201, {{"ids", ids}, {"codes", code_strings}, {"database_size", database_.size()}}, {}};
}

ServiceReply QueryService::stored_item(const std::string& id_text) {
  const auto id = parse_integer(id_text);
  if (!id) reject(400, fmt::format("'{}' is not an item id: ids are integers", id_text));
  const auto item = database_.item(*id);
  if (!item) reject(404, fmt::format("no database item {}; ids run from 0 to {}", *id, database_.size() - 1));
  return {200, {{"id", *id}, {"code", bit_string(item->code)}, {"labels", item->labels}, {"added", item->added}}, {}};
}

torch::Tensor QueryService::labels_of(const nlohmann::json& ids, const std::string& field) {
  if (!ids.is_array()) reject(400, fmt::format("'{}' must be an array of class ids", field));
  const int64_t columns = database_.label_columns();
  auto row = torch::zeros({columns}, torch::kUInt8);
  for (const auto& id : ids) {
    if (!id.is_number_integer() || (id.is_number_unsigned() ? id.get<uint64_t>() >= static_cast<uint64_t>(columns)
                                                            : id.get<int64_t>() < 0 || id.get<int64_t>() >= columns))
      reject(400, fmt::format("'{}' holds {}; class ids run from 0 to {}", field, id.dump(), columns - 1));
    row[id.get<int64_t>()] = 1;
  }
  return row;
}

QueryService::Item QueryService::item_of_json(const nlohmann::json& body) {
  const EncoderInput& shape = run_->item_shape();
  if (body.contains("pixels")) {
    if (!shape.images) reject(400, "this run's data set holds features, not images: send 'features'");
    const int64_t count = shape.channels * shape.height * shape.width;
    const auto pixels = numbers_of(body["pixels"], "pixels", count);
    if (((pixels < 0) | (pixels > 255) | (pixels != pixels.round())).any().item<bool>())
      reject(400, "'pixels' must be integers from 0 to 255");
    return {pixels.to(torch::kUInt8).reshape(shape.item_sizes()), false};
  }
  const int64_t dim = run_->spec().feature_dim;
  const auto& features = body["features"];
  // A data set of features with an encoder that changes their width takes the raw item.
  const bool raw_item = !shape.images && features.is_array() && static_cast<int64_t>(features.size()) == shape.dim &&
                        shape.dim != dim;
  if (raw_item) return {numbers_of(features, "features", shape.dim).to(torch::kFloat32), false};
  return {numbers_of(features, "features", dim).to(torch::kFloat32), true};
}

QueryService::Item QueryService::item_of_image(const std::string& bytes) {
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
  try {
    return {decode_image(bytes, DecodeOptions{shape.channels, shape.height, shape.width}, "the uploaded image"), false};
  } catch (const Error& e) {
    reject(422, e.what());  // a header that decodes, and data that does not
  }
}

}  // namespace hashrl
