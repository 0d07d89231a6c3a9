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
//
// Errors are JSON {"error": message, "status": code}: 400 malformed JSON / bad field / bad k,
// 404 unknown path or id, 405 wrong method (with Allow), 413 image over the pixel limit,
// 415 unsupported content type, 422 an image that does not decode. Thread-safe.
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "hashrl/retrieval/binary_index.h"
#include "hashrl/serve/encode_batcher.h"
#include "hashrl/serve/trained_run.h"

namespace hashrl {

struct ServiceRequest {
  std::string method;        // "GET", "POST", ...
  std::string target;        // path and query string: "/query?k=5"
  std::string content_type;  // without parameters is fine; "; charset=..." is ignored
  std::string body;
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
  // The index the database is searched with (make_binary_index): ours, exact, or a FAISS one.
  std::string index = "flat";
};

class QueryService {
 public:
  QueryService(std::shared_ptr<TrainedRun> run, ServiceLimits limits);
  ServiceReply handle(const ServiceRequest& request);

 private:
  ServiceReply query(const ServiceRequest& request, const std::string& query_string);
  // The query's code [q] for each kind of body.
  torch::Tensor code_of_json(const nlohmann::json& body);
  torch::Tensor code_of_image(const std::string& bytes);

  std::shared_ptr<TrainedRun> run_;
  ServiceLimits limits_;
  std::unique_ptr<BinaryIndex> index_;  // the run's database codes
  EncodeBatcher items_, features_;  // raw items and encoder outputs batch apart
};

}  // namespace hashrl
