// hashrl data: load the [data] of a config and print the protocol split (the smoke test of a
// fresh install: the default is Fashion-MNIST from Debian's dataset-fashion-mnist).
#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "hashrl/data/data_source.h"

namespace hashrl::cli {

int run_data(const std::vector<std::string>& args) {
  po::options_description options("hashrl data");
  add_config_options(options);
  options.add_options()("save-split", po::value<std::string>(), "write the split's index files to this folder");
  po::variables_map vm;
  if (!parse("data", args, options, vm, "[--config FILE] [--set data.key=value ...] [--save-split DIR]")) return 0;
  const Config config = config_from(vm);
  const auto loaded = load_data(ConfigSection(config, "data"));
  config.check_all_used({"data"});
  const auto& d = loaded.data;
  const std::string items = d.has_images()
      ? fmt::format("images {}x{}x{}", d.images.size(1), d.images.size(2), d.images.size(3))
      : fmt::format("features of width {}", d.features.size(1));
  std::cout << fmt::format("data set {}: {} items ({}), {} labels\n", d.name, d.size(), items, d.num_labels());
  std::cout << fmt::format("split: {}\n", describe(loaded.split));
  if (vm.count("save-split")) {
    save_split(loaded.split, vm["save-split"].as<std::string>());
    std::cout << "split saved to " << vm["save-split"].as<std::string>() << "\n";
  }
  return 0;
}

}  // namespace hashrl::cli
