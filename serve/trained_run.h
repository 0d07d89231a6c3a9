#pragma once
// A finished training run, loaded for queries: the env (its encoder) and the agent rebuilt from
// RUN/config.ini with the weights of RUN/checkpoint.pt, and the database that RUN/codes holds.
// Encoding is serialised by a mutex, so that one run can be shared by many threads.
#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <memory>
#include <mutex>
#include <string>

#include "hashrl/agents/agent.h"
#include "hashrl/encoders/encoder.h"
#include "hashrl/env/env.h"

namespace hashrl {

class TrainedRun {
 public:
  // Throws naming the file when the run is incomplete (no checkpoint, no codes) or inconsistent.
  explicit TrainedRun(const std::string& run_dir);

  const EnvSpec& spec() const { return env_->spec(); }
  // What a query item looks like: an image of the data set's shape, or a feature vector.
  const EncoderInput& item_shape() const { return item_shape_; }
  // Raw items like the data set's (uint8 images [N, C, H, W] or float features [N, D]) ->
  // uint8 codes [N, q], on the CPU.
  torch::Tensor encode_items(const torch::Tensor& items);
  // Encoder outputs [N, spec().feature_dim] -> uint8 codes [N, q] (skips the encoder).
  torch::Tensor encode_features(const torch::Tensor& features);

  // uint8 [N, q] and multi-hot uint8 [N, L], as RUN/codes holds them.
  const torch::Tensor& db_codes() const { return db_codes_; }
  const torch::Tensor& db_labels() const { return db_labels_; }
  // agent, encoder, data set, code length, database size.
  nlohmann::json describe() const;

 private:
  std::string run_dir_;
  nlohmann::json facts_;
  EncoderInput item_shape_;
  std::unique_ptr<Env> env_;
  std::shared_ptr<Agent> agent_;
  torch::Tensor db_codes_, db_labels_;
  std::mutex encode_mutex_;
};

}  // namespace hashrl
