#include "hashrl/data/data_source.h"

#include "hashrl/common/error.h"
#include "hashrl/data/readers.h"

namespace hashrl {
namespace {

Dataset read_dataset(const ConfigSection& s) {
  const std::string kind = s.get_choice(
      "kind", "fashion-mnist", {"fashion-mnist", "mnist", "cifar10", "image-list", "npy", "synthetic"});
  if (kind == "fashion-mnist") return read_idx_dir(s.get_string("path", kDebianFashionMnistDir), kind);
  if (kind == "synthetic") {
    const auto syn = s.sub("synthetic");
    return make_synthetic(syn.get_int("classes", 10, 1), syn.get_int("per_class", 100, 1),
                          syn.get_int("dim", 32, 1), syn.get_double("spread", 0.5, 0.0),
                          static_cast<uint64_t>(syn.get_int("seed", 0, 0)));
  }
  const std::string path = s.get_string("path", "");
  if (path.empty()) fail("config key '{}' must name the {} data", s.key("path"), kind);
  if (kind == "mnist") return read_idx_dir(path, kind);
  if (kind == "cifar10") return read_cifar10_dir(path);
  if (kind == "image-list")
    return read_image_list(path, s.get_string("root", "."), s.get_int("image_size", 224, 1, 4096));
  const std::string labels = s.get_string("labels", "");
  if (labels.empty()) fail("config key '{}' must name the labels .npy", s.key("labels"));
  return read_npy_features(path, labels);
}

}  // namespace

LoadedData load_data(const ConfigSection& s) {
  LoadedData out{read_dataset(s), {}};
  SplitOptions options;
  options.queries_per_label = s.get_int("queries_per_label", 100, 0);
  options.train_per_label = s.get_int("train_per_label", 500, 1);
  options.train_in_database = s.get_bool("train_in_database", true);
  options.queries_from_test_file = s.get_bool("queries_from_test_file", true);
  options.seed = static_cast<uint64_t>(s.get_int("split_seed", 0, 0));
  const std::string protocol = s.get_choice("protocol", "per-label", {"per-label", "nus-wide", "random"});
  const std::string split_dir = s.get_string("split_dir", "");
  if (protocol == "nus-wide") {
    auto nus = split_nus_wide(out.data, s.get_int("concepts", 21, 1), options);
    out.data = std::move(nus.data);
    out.split = std::move(nus.split);
  }
  if (!split_dir.empty())
    out.split = load_split(split_dir, out.data.size());
  else if (protocol == "per-label")
    out.split = split_per_label(out.data, options);
  else if (protocol == "random")
    out.split = split_random(out.data, s.get_int("queries", 1000, 1), s.get_int("train", 5000, 1), options);
  return out;
}

}  // namespace hashrl
