#include "hashrl/serve/trained_run.h"

#include <torch/torch.h>

#include "hashrl/common/config.h"
#include "hashrl/common/error.h"
#include "hashrl/common/npy.h"
#include "hashrl/common/plugins.h"
#include "hashrl/data/data_source.h"
#include "hashrl/envs/env_registry.h"
#include "hashrl/train/checkpoint.h"
#include "hashrl/train/encode.h"

namespace hashrl {

TrainedRun::TrainedRun(const std::string& run_dir) : run_dir_(run_dir) {
  Config config = Config::from_file(run_dir + "/config.ini");
  load_plugins(config);  // the components of a run trained with plugins
  // The data set is read only to rebuild the env (its training split, the input shape); the
  // database itself is served from the codes the run wrote.
  const LoadedData data = load_data(ConfigSection(config, "data"));
  item_shape_ = EncoderInput::of(data.data);
  env_ = make_env(env_kind(config), config, data);
  agent_ = make_agent(config, env_->spec());
  load_weights(run_dir + "/checkpoint.pt", *agent_, *env_);
  agent_->module().eval();

  db_codes_ = load_npy(run_dir + "/codes/db_codes.npy").to(torch::kUInt8);
  db_labels_ = load_npy(run_dir + "/codes/db_labels.npy").to(torch::kUInt8);
  if (db_codes_.dim() != 2 || db_codes_.size(1) != spec().code_length)
    fail("'{}/codes/db_codes.npy' holds codes of shape {}, but the run's code length is {}", run_dir,
         db_codes_.sizes(), spec().code_length);
  if (db_labels_.dim() != 2 || db_labels_.size(0) != db_codes_.size(0))
    fail("'{}/codes/db_labels.npy' holds labels of shape {} for {} database codes", run_dir, db_labels_.sizes(),
         db_codes_.size(0));
  facts_ = {{"run", run_dir},
            {"agent", agent_kind(config)},
            {"encoder", encoder_kind(ConfigSection(config, "encoder"))},
            {"data", data.data.name},
            {"code_length", spec().code_length},
            {"feature_dim", spec().feature_dim},
            {"database_size", db_codes_.size(0)},
            {"labels", db_labels_.size(1)},
            {"input", item_shape_.images ? nlohmann::json{{"kind", "image"},
                                                          {"channels", item_shape_.channels},
                                                          {"height", item_shape_.height},
                                                          {"width", item_shape_.width}}
                                         : nlohmann::json{{"kind", "features"}, {"dim", item_shape_.dim}}}};
}

torch::Tensor TrainedRun::encode_items(const torch::Tensor& items) {
  std::lock_guard<std::mutex> lock(encode_mutex_);
  torch::NoGradGuard no_grad;
  const auto features = env_->observe_features(items);
  return greedy_codes(*agent_, spec(), features).to(torch::kCPU, torch::kUInt8);
}

torch::Tensor TrainedRun::encode_features(const torch::Tensor& features) {
  std::lock_guard<std::mutex> lock(encode_mutex_);
  torch::NoGradGuard no_grad;
  return greedy_codes(*agent_, spec(), features.to(spec().device)).to(torch::kCPU, torch::kUInt8);
}

nlohmann::json TrainedRun::describe() const { return facts_; }

}  // namespace hashrl
