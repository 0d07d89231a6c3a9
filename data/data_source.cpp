#include "hashrl/data/data_source.h"

#include "hashrl/common/error.h"
#include "hashrl/common/limits.h"
#include "hashrl/data/readers.h"

namespace hashrl {
namespace {

KeyTable shared_keys;
const auto kKind = shared_keys.name_of("kind", "fashion-mnist", "a data reader (below)", "the data set's format");
const auto kProtocol = shared_keys.name_of("protocol", "per-label", "a split protocol (below)",
                                           "which items are queries, training items and the database");
const SplitOptions kSplitDefaults;
const auto kQueriesPerLabel = shared_keys.integer("queries_per_label", kSplitDefaults.queries_per_label(), 0,
                                                  INT64_MAX, "per-label, nus-wide: queries per label");
const auto kTrainPerLabel = shared_keys.integer("train_per_label", kSplitDefaults.train_per_label(), 1, INT64_MAX,
                                                "per-label, nus-wide: training items per label");
const auto kTrainInDatabase = shared_keys.flag("train_in_database", kSplitDefaults.train_in_database(),
                                               "training items are also database items");
const auto kQueriesFromTestFile =
    shared_keys.flag("queries_from_test_file", kSplitDefaults.queries_from_test_file(),
                     "queries from the official test file (Fashion-MNIST's t10k, CIFAR-10's test_batch), "
                     "training items from the rest");
const auto kSplitSeed = shared_keys.integer("split_seed", 0, 0, INT64_MAX, "seed of the split");
const auto kSplitDir = shared_keys.text("split_dir", "",
                                        "load a saved split (query.npy, train.npy, database.npy) instead of "
                                        "drawing one");

// The path every reader but fashion-mnist requires.
std::string required_path(const Key<std::string>& key, const ConfigSection& s, const std::string& what) {
  const auto path = key(s);
  if (path.empty()) fail("config key '{}' must name the {}", s.key(key.name()), what);
  return path;
}

KeyTable fashion_mnist_keys;
const auto kFashionMnistPath = fashion_mnist_keys.text("path", kDebianFashionMnistDir, "the IDX folder",
                                                       "Debian's Fashion-MNIST");

KeyTable folder_keys;
const auto kFolder = folder_keys.text("path", "", "the folder of the data set's files (required)");

KeyTable image_list_keys;
const auto kListPath = image_list_keys.text("path", "", "the list file: `path 0 1 0 ...` per line (required)");
const auto kListRoot = image_list_keys.text("root", ".", "the folder the list's paths are relative to");
const auto kListImageSize = image_list_keys.integer("image_size", 224, 1, 4096,
                                                    "images are resized to this side");

KeyTable image_folder_keys;
const auto kImageFolder = image_folder_keys.text("path", "", "the folder holding one folder of images per class (required)");
const auto kFolderImageSize = image_folder_keys.integer("image_size", 224, 1, 4096, "images are resized to this side");

KeyTable npy_keys;
const auto kFeaturesPath = npy_keys.text("path", "", "features .npy, float32 [N, D] (required)");
const auto kLabelsPath = npy_keys.text("labels", "", "labels .npy, class ids [N] or multi-hot [N, L] (required)");

KeyTable synthetic_keys;
const auto kSynClasses = synthetic_keys.integer("synthetic.classes", 10, 1, kMaxLabels, "clusters");
const auto kSynPerClass = synthetic_keys.integer("synthetic.per_class", 100, 1, INT64_MAX, "points per cluster");
const auto kSynDim = synthetic_keys.integer("synthetic.dim", 32, 1, INT64_MAX, "dimensions");
const auto kSynSpread = synthetic_keys.real("synthetic.spread", 0.5, 0, 1e308, "noise around each centre");
const auto kSynSeed = synthetic_keys.integer("synthetic.seed", 0, 0, INT64_MAX, "seed of the centres and noise");

KeyTable nus_wide_keys;
const auto kConcepts = nus_wide_keys.integer("concepts", 21, 1, kMaxLabels, "the most frequent labels kept");

KeyTable random_keys;
const auto kQueries = random_keys.integer("queries", 1000, 1, INT64_MAX, "queries drawn");
const auto kTrain = random_keys.integer("train", 5000, 1, INT64_MAX, "training items drawn (from the non-queries)");

}  // namespace

const KeyTable& data_keys() { return shared_keys; }

DataReaderRegistry& data_reader_registry() {
  static DataReaderRegistry registry = [] {
    DataReaderRegistry r("data reader");
    r.add("fashion-mnist", [](const ConfigSection& s) { return read_idx_dir(kFashionMnistPath(s), "fashion-mnist"); },
          "Fashion-MNIST's IDX files (Debian's dataset-fashion-mnist by default)", &fashion_mnist_keys);
    r.add("mnist", [](const ConfigSection& s) { return read_idx_dir(required_path(kFolder, s, "IDX folder"), "mnist"); },
          "a folder of IDX files as MNIST ships them", &folder_keys);
    r.add("cifar10", [](const ConfigSection& s) { return read_cifar10_dir(required_path(kFolder, s, "cifar10 folder")); },
          "CIFAR-10's binary batches folder", &folder_keys);
    r.add("image-list",
          [](const ConfigSection& s) {
            return read_image_list(required_path(kListPath, s, "image list"), kListRoot(s), kListImageSize(s));
          },
          "JPEG/PNG images named in a list file with multi-hot labels", &image_list_keys);
    r.add("image-folder",
          [](const ConfigSection& s) {
            return read_image_folder(required_path(kImageFolder, s, "image folder"), kFolderImageSize(s));
          },
          "an ImageFolder tree: one folder of JPEG/PNG images per class, classes in name order", &image_folder_keys);
    r.add("npy",
          [](const ConfigSection& s) {
            return read_npy_features(required_path(kFeaturesPath, s, "features .npy"),
                                     required_path(kLabelsPath, s, "labels .npy"));
          },
          "precomputed features and labels as .npy", &npy_keys);
    r.add("synthetic",
          [](const ConfigSection& s) {
            return make_synthetic(kSynClasses(s), kSynPerClass(s), kSynDim(s), kSynSpread(s),
                                  static_cast<uint64_t>(kSynSeed(s)));
          },
          "Gaussian clusters, for tests", &synthetic_keys);
    return r;
  }();
  return registry;
}

SplitOptions SplitOptions::from_config(const ConfigSection& s) {
  auto options = SplitOptions()
                     .queries_per_label(kQueriesPerLabel(s))
                     .train_per_label(kTrainPerLabel(s))
                     .train_in_database(kTrainInDatabase(s))
                     .queries_from_test_file(kQueriesFromTestFile(s))
                     .seed(static_cast<uint64_t>(kSplitSeed(s)));
  options.validate();
  return options;
}

SplitProtocolRegistry& split_protocol_registry() {
  static SplitProtocolRegistry registry = [] {
    SplitProtocolRegistry r("split protocol");
    r.add("per-label",
          [](Dataset data, const ConfigSection&, const SplitOptions& o) {
            auto split = split_per_label(data, o);
            return LoadedData{std::move(data), std::move(split)};
          },
          "counts per label (the paper's CIFAR-10 protocol)");
    r.add("random",
          [](Dataset data, const ConfigSection& s, const SplitOptions& o) {
            auto split = split_random(data, kQueries(s), kTrain(s), o);
            return LoadedData{std::move(data), std::move(split)};
          },
          "counts drawn uniformly, whatever the labels (MIRFlickr-25K)", &random_keys);
    r.add("nus-wide",
          [](Dataset data, const ConfigSection& s, const SplitOptions& o) {
            auto nus = split_nus_wide(data, kConcepts(s), o);
            return LoadedData{std::move(nus.data), std::move(nus.split)};
          },
          "the most frequent concepts kept, then counts per concept", &nus_wide_keys);
    return r;
  }();
  return registry;
}

LoadedData load_data(const ConfigSection& s) {
  auto data = data_reader_registry().create(kKind, s, s);
  data.validate();  // a registered reader's output is held to what the built-in readers promise
  const auto split_dir = kSplitDir(s);
  LoadedData out = split_protocol_registry().create(kProtocol, s, std::move(data), s, SplitOptions::from_config(s));
  // A saved split replaces the drawn one (after nus-wide has chosen its items, which it indexes).
  if (!split_dir.empty()) out.split = load_split(split_dir, out.data.size());
  return out;
}

}  // namespace hashrl
