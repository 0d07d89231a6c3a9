// CIFAR-10's official binary format: records of 1 label byte and 3 x 32 x 32 pixel bytes.
#include <torch/torch.h>

#include <cstring>

#include "hashrl/common/error.h"
#include "hashrl/common/files.h"
#include "hashrl/data/data_source.h"
#include "hashrl/data/readers.h"

namespace hashrl {

Dataset read_cifar10_batch(const std::string& path) { return parse_cifar10_batch(read_file(path), path); }

Dataset parse_cifar10_batch(const std::string& data, const std::string& path) {
  constexpr int64_t kPixels = 3 * 32 * 32, kRecord = 1 + kPixels;
  if (data.empty() || data.size() % kRecord != 0)
    fail("'{}': {} bytes is not a whole number of CIFAR-10 records ({} bytes each); truncated?",
         path, data.size(), kRecord);
  const int64_t n = static_cast<int64_t>(data.size()) / kRecord;
  auto records = torch::empty({n, kRecord}, torch::kUInt8);
  std::memcpy(records.data_ptr(), data.data(), data.size());
  Dataset out;
  out.name = "cifar10";
  out.images = records.slice(1, 1).reshape({n, 3, 32, 32}).contiguous();
  out.labels = one_hot_labels(records.select(1, 0), 10, path);
  out.validate();
  return out;
}

Dataset read_cifar10_dir(const std::string& dir) {
  Dataset train = read_cifar10_batch(dir + "/data_batch_1.bin");
  for (int i = 2; i <= 5; ++i)
    train = concat(train, read_cifar10_batch(fmt::format("{}/data_batch_{}.bin", dir, i)), "cifar10");
  Dataset test = read_cifar10_batch(dir + "/test_batch.bin");
  train.from_test_file = torch::zeros({train.size()}, torch::kBool);
  test.from_test_file = torch::ones({test.size()}, torch::kBool);
  return concat(train, test, "cifar10");
}

void register_cifar10_reader(DataReaderRegistry& registry) {
  registry.add("cifar10", [](const ConfigSection& s) { return read_cifar10_dir(required_folder(s, "cifar10 folder")); },
               "CIFAR-10's binary batches folder", &folder_reader_keys());
}

}  // namespace hashrl
