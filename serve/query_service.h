#pragma once
// The retrieval service's routes, apart from any HTTP library: a request in, a JSON reply out.
//
//   GET  /health  -> {"status": "ok"}
//   GET  /info    -> the run (agent, encoder, data, code length, database size, input shape) and
//                    the limits
//   POST /query   -> {"code": "0110...", "k": K, "results": [{"id", "distance", "labels"}, ...]}
//     body: PNG or JPEG bytes (Content-Type image/png, image/jpeg or application/octet-stream),
//           k from the query string (?k=10); or JSON with "k" and one of
//             "id":       a database id: its stored code is the query
//             "pixels":   the image as numbers 0-255, flat or nested, in [C, H, W] order
//             "features": the encoder's output for the item (feature_dim numbers), or, for a
//                         data set of features, the item itself (the input shape of /info)
//   Results are the k nearest database codes in (Hamming distance, id) order; "labels" are the
//   class ids the database item carries.
//   POST /items -> 201 {"ids": [...], "codes": ["0110...", ...], "database_size": N}
//     body: one item as /query takes it ("pixels" or "features", or image bytes), with optional
//           "labels": [class ids] (for image bytes: ?labels=1,3), or {"items": [item, ...]}.
//           The items are encoded, logged to disk and indexed before the reply: an acknowledged
//           item survives a kill (item_log.h). Needs "Authorization: Bearer TOKEN" when the
//           service has a token (401 without it) and an items folder (403 when read-only).
//   GET  /items/{id} -> {"id", "code", "labels", "added"} (added: since the run was trained)
//
// Errors are JSON {"error": message, "status": code}: 400 malformed JSON / bad field / bad k,
// 401 a missing or wrong token, 403 writing to a read-only service, 404 unknown path or id,
// 405 wrong method (with Allow), 413 image over the pixel limit or too many items, 415
// unsupported content type, 422 an image that does not decode. Thread-safe.
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "hashrl/serve/encode_batcher.h"
#include "hashrl/serve/item_database.h"
#include "hashrl/serve/trained_run.h"

namespace hashrl {

struct ServiceRequest {
  std::string method;        // "GET", "POST", ...
  std::string target;        // path and query string: "/query?k=5"
  std::string content_type;  // without parameters is fine; "; charset=..." is ignored
  std::string body;
  std::string authorization;  // the Authorization header, "" when absent
};

struct ServiceReply {
  int status = 200;
  nlohmann::json body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Allow)
};

struct ServiceLimits {
  int64_t default_k = 10;
  int64_t max_k = 1000;
  int64_t max_image_pixels = 4096 * 4096;  // declared size of an uploaded image, before decoding
  BatcherOptions batching;
  // The index the database is searched with (make_binary_index): ours, exact, or a FAISS one;
  // or the path of an index file (`hashrl index build`), which then holds the database.
  std::string index = "flat";
  // That index file, when the caller has loaded it already (DatabaseOptions::loaded_index).
  std::shared_ptr<IndexFile> loaded_index;
};

// Who may add items (POST /items), and where they are kept.
struct ItemWrites {
  std::string items_dir;  // where added items are logged (item_log.h); "" : the service is read-only
  std::string token;      // when set, POST /items needs "Authorization: Bearer <token>"
  int64_t max_items = 1000;  // items in one POST /items (413 above)
  ItemLogOptions log;
};

class QueryService {
 public:
  // Throws naming the index or the items folder when the database cannot be opened.
  QueryService(std::shared_ptr<TrainedRun> run, ServiceLimits limits, ItemWrites writes = {});
  ServiceReply handle(const ServiceRequest& request);
  const ItemDatabase& database() const { return database_; }

 private:
  // An item as a request sends it: a raw item like the data set's, or an encoder output.
  struct Item {
    torch::Tensor value;
    bool features;
  };
  ServiceReply query(const ServiceRequest& request, const std::string& query_string);
  ServiceReply add_items(const ServiceRequest& request, const std::string& query_string);
  ServiceReply stored_item(const std::string& id_text);
  Item item_of_json(const nlohmann::json& body);
  Item item_of_image(const std::string& bytes);
  torch::Tensor labels_of(const nlohmann::json& ids, const std::string& field);

  std::shared_ptr<TrainedRun> run_;
  ServiceLimits limits_;
  ItemWrites writes_;
  ItemDatabase database_;
  EncodeBatcher items_, features_;  // raw items and encoder outputs batch apart
};

}  // namespace hashrl
