#include "hashrl/data/data_source.h"

#include "hashrl/common/error.h"

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

}  // namespace

const KeyTable& data_keys() { return shared_keys; }

std::string required_path(const Key<std::string>& key, const ConfigSection& s, const std::string& what) {
  const auto path = key(s);
  if (path.empty()) fail("config key '{}' must name the {}", s.key(key.name()), what);
  return path;
}

namespace {
KeyTable folder_keys;
const auto kFolder = folder_keys.text("path", "", "the folder of the data set's files (required)");
}  // namespace

const KeyTable& folder_reader_keys() { return folder_keys; }

std::string required_folder(const ConfigSection& s, const std::string& what) { return required_path(kFolder, s, what); }

// The built-ins, each registered by a function in its own file (docs/extending.md: why by name).
void register_idx_readers(DataReaderRegistry& registry);
void register_cifar10_reader(DataReaderRegistry& registry);
void register_image_list_reader(DataReaderRegistry& registry);
void register_image_folder_reader(DataReaderRegistry& registry);
void register_feature_readers(DataReaderRegistry& registry);
void register_split_protocols(SplitProtocolRegistry& registry);

DataReaderRegistry& data_reader_registry() {
  static DataReaderRegistry registry = [] {
    DataReaderRegistry r("data reader");
    register_idx_readers(r);
    register_cifar10_reader(r);
    register_image_list_reader(r);
    register_image_folder_reader(r);
    register_feature_readers(r);
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
    register_split_protocols(r);
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
