// Every config shipped in configs/ builds (every key known, every value valid) and names what it
// promises.
#include <catch2/catch.hpp>

#include <filesystem>

#include "hashrl/train/trainer.h"
#include "paths.h"
#include "support.h"

using namespace hashrl;

TEST_CASE("every shipped config builds its run", "[fashion]") {
  const std::filesystem::path dir = std::filesystem::path(paths::kSourceDir) / "configs";
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".ini") continue;
    INFO(entry.path().string());
    Config config = Config::from_file(entry.path().string());
    config.set("env.device", "cpu");
    if (entry.path().stem() == "drlih") {  // paper sizes: build a smaller twin, same keys
      config.set("policy.hidden", "64");
      config.set("encoder.image_size", "32");
      config.set("encoder.fc_dim", "64");
      config.set("encoder.width", "0.125");
    }
    CHECK_NOTHROW(Trainer(config, test::scratch_dir("config-" + entry.path().stem().string())));
    ++count;
  }
  CHECK(count >= 5);
}
