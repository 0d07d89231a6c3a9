#pragma once
// The [data] section of a config: which data set to read and how to split it.
//
//   [data]
//   kind = fashion-mnist        fashion-mnist | mnist | cifar10 | image-list | npy | synthetic
//   path =                      folder (idx, cifar10), list file (image-list), features .npy (npy)
//   root =                      image-list: folder the list's paths are relative to
//   labels =                    npy: labels .npy (class ids [N] or multi-hot [N, L])
//   image_size = 224            image-list: decoded images are resized to this side
//   protocol = per-label        per-label | nus-wide | random
//   queries = 1000, train = 5000  random: counts drawn uniformly (MIRFlickr-25K)
//   queries_per_label = 100
//   train_per_label = 500
//   train_in_database = true
//   queries_from_test_file = true
//   concepts = 21               nus-wide: labels kept
//   split_seed = 0
//   split_dir =                 load a saved split (query.npy, train.npy, database.npy) instead
//   synthetic.classes / synthetic.per_class / synthetic.dim / synthetic.spread / synthetic.seed
#include "hashrl/common/config.h"
#include "hashrl/data/dataset.h"
#include "hashrl/data/split.h"

namespace hashrl {

struct LoadedData {
  Dataset data;
  Split split;
};

LoadedData load_data(const ConfigSection& section);

}  // namespace hashrl
