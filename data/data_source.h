#pragma once
// The [data] section of a config: which data set to read (`kind`, a reader from
// data_reader_registry()) and how to split it (`protocol`, from split_protocol_registry()).
// Both registries are open: a reader registered under a new name is read by `kind = NAME`.
//
//   [data]
//   kind = fashion-mnist     a reader: fashion-mnist, mnist, cifar10, image-list, image-folder, npy, synthetic
//   protocol = per-label     per-label, random, nus-wide
//
// Every key, with its default and range, is in docs/config.md (generated from data_keys() and the
// readers' and protocols' own tables).
#include "hashrl/common/config.h"
#include "hashrl/common/keys.h"
#include "hashrl/common/registry.h"
#include "hashrl/data/dataset.h"
#include "hashrl/data/split.h"

namespace hashrl {

struct LoadedData {
  Dataset data;
  Split split;
};

// A data set reader: the [data] section in, a validated Dataset out.
using DataReaderRegistry = Registry<Dataset, const ConfigSection&>;
DataReaderRegistry& data_reader_registry();

// A split protocol: the data set, the [data] section and the options every protocol shares in;
// the data (a protocol may drop items, as nus-wide does) and its split out.
using SplitProtocolRegistry = Registry<LoadedData, Dataset, const ConfigSection&, const SplitOptions&>;
SplitProtocolRegistry& split_protocol_registry();

// The keys every data set shares: kind, protocol and the split's.
const KeyTable& data_keys();

// The path that `key` gives in `s`, for a reader that cannot do without it: empty is an error
// naming the key and `what` it must name.
std::string required_path(const Key<std::string>& key, const ConfigSection& s, const std::string& what);
// The one key of a reader that reads a folder of files (mnist, cifar10): `path`, required.
const KeyTable& folder_reader_keys();
std::string required_folder(const ConfigSection& s, const std::string& what);

LoadedData load_data(const ConfigSection& section);

}  // namespace hashrl
