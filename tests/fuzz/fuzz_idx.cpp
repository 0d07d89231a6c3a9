// libFuzzer target: an IDX images file and an IDX labels file (MNIST, Fashion-MNIST).
#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz_main.h"
#include "hashrl/data/readers.h"

HASHRL_FUZZ_TARGET(data, size) {
  FuzzedDataProvider input(data, size);
  const std::string images = input.ConsumeRandomLengthString();
  const std::string labels = input.ConsumeRemainingBytesAsString();
  hashrl::parse_idx(images, "images.idx", labels, "labels.idx", "fuzz");
}
