// VGG-19 against torchvision, on files that scripts/export_vgg_weights.py wrote with Debian's
// torchvision into $HASHRL_VGG_REFERENCE (tests/vgg_round_trip.sh runs both halves). Hidden from
// the default run because it needs that folder.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "hashrl/common/error.h"
#include "hashrl/common/files.h"
#include "hashrl/common/npy.h"
#include "hashrl/encoders/vgg.h"
#include "support.h"

using namespace hashrl;

namespace {

std::shared_ptr<Encoder> full_vgg(const std::string& kind, const std::string& weights = "") {
  const Config c = Config::from_string("[encoder]\nkind = " + kind + "\nweights = " + weights + "\n");
  EncoderInput in;
  in.channels = 3, in.height = 32, in.width = 32;
  return make_encoder(ConfigSection(c, "encoder"), in);
}

}  // namespace

TEST_CASE("vgg19 and vgg19_bn match torchvision's names and shapes, and its forward pass", "[.torchvision]") {
  const char* dir = std::getenv("HASHRL_VGG_REFERENCE");
  REQUIRE(dir != nullptr);
  const std::string ref = dir;

  for (const std::string arch : {"vgg19", "vgg19_bn"}) {
    INFO(arch);
    auto encoder = full_vgg(arch);
    std::map<std::string, std::vector<int64_t>> ours;
    for (const auto& p : encoder->named_parameters()) ours[p.key()] = p.value().sizes().vec();
    for (const auto& b : encoder->named_buffers()) ours[b.key()] = b.value().sizes().vec();
    std::map<std::string, std::vector<int64_t>> theirs;
    std::istringstream keys(read_file(ref + "/" + arch + ".keys"));
    std::string line;
    while (std::getline(keys, line)) {
      std::istringstream fields(line);
      std::string name;
      fields >> name;
      std::vector<int64_t> shape;
      for (int64_t d; fields >> d;) shape.push_back(d);
      theirs[name] = shape;
    }
    CHECK(theirs.size() > 30);
    CHECK(ours == theirs);
  }

  auto encoder = full_vgg("vgg19_bn", ref + "/vgg19_bn.pt");
  encoder->eval();
  torch::NoGradGuard no_grad;
  const auto features = encoder->forward(load_npy(ref + "/input.npy"));
  const auto expected = load_npy(ref + "/fc7.npy");
  REQUIRE(features.sizes() == expected.sizes());
  const double diff = (features - expected).abs().max().item<double>();
  INFO("max |C++ - torchvision| = " << diff << ", max |fc7| = " << expected.abs().max().item<double>());
  CHECK(diff <= 1e-5);

  // A truncated file and the other architecture's file are refused, naming the file.
  const std::string bytes = read_file(ref + "/vgg19_bn.pt");
  const std::string truncated = test::scratch_dir("vgg") + "/truncated.pt";
  test::write_bytes(truncated, bytes.substr(0, bytes.size() / 2));
  CHECK_THROWS_WITH(full_vgg("vgg19_bn", truncated), Catch::Contains("truncated.pt"));
  CHECK_THROWS_WITH(full_vgg("vgg19", ref + "/vgg19_bn.pt"), Catch::Contains("vgg19_bn.pt"));
}
