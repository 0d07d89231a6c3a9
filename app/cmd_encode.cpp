// hashrl encode: a split's encoder features (and labels) as .npy, through the feature cache.
#include <filesystem>
#include <iostream>

#include "cli.h"
#include "hashrl/common/npy.h"
#include "hashrl/data/data_source.h"
#include "hashrl/common/choices.h"
#include "hashrl/encoders/encoder.h"
#include "hashrl/encoders/feature_cache.h"
#include "hashrl/envs/hash_env.h"

namespace hashrl::cli {

int run_encode(const std::vector<std::string>& args) {
  po::options_description options("hashrl encode");
  add_config_options(options);
  options.add_options()
      ("split", po::value<std::string>()->default_value("database"), "query, train, database or all")
      ("out", po::value<std::string>()->required(), "folder for <split>_features.npy and <split>_labels.npy")
      ("batch-size", po::value<std::string>()->default_value("256"), "images encoded at once, 1 to 65536");
  po::variables_map vm;
  if (!parse("encode", args, options, vm, "--config FILE [--set ...] --split SPLIT --out DIR")) return 0;
  const int64_t batch_size = int_flag(vm, "batch-size", 1, 65536);
  const std::string split = vm["split"].as<std::string>();
  // The part of the protocol split to encode; nullptr: every item.
  const Choices<torch::Tensor Split::*> splits = {
      {"query", &Split::query}, {"train", &Split::train}, {"database", &Split::database}, {"all", nullptr}};
  const auto part = parse_choice(split, splits, "--split");
  const Config config = config_from(vm);
  const auto loaded = load_data(ConfigSection(config, "data"));
  auto encoder = make_encoder(ConfigSection(config, "encoder"), EncoderInput::of(loaded.data));
  // Where features are computed and cached, as training reads it from [env].
  const auto env = HashEnvOptions::from_config(ConfigSection(config, "env"));
  const auto device = env.device();
  const auto cache_dir = env.feature_cache_dir();
  config.check_all_used({"data", "encoder"});

  const torch::Tensor indices = part ? loaded.split.*part : torch::arange(loaded.data.size());

  const auto& source = loaded.data.items();
  encoder->to(device);
  const auto features =
      cached_features(*encoder, source.index_select(0, indices), cache_dir, batch_size, "encode " + split, device);
  const std::string out = vm["out"].as<std::string>();
  std::filesystem::create_directories(out);
  save_npy(out + "/" + split + "_features.npy", features);
  save_npy(out + "/" + split + "_labels.npy", loaded.data.labels.index_select(0, indices));
  std::cout << "wrote " << out << "/" << split << "_features.npy [" << features.size(0) << ", " << features.size(1)
            << "] and " << split << "_labels.npy\n";
  return 0;
}

}  // namespace hashrl::cli
