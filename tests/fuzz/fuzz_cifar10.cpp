// libFuzzer target: a CIFAR-10 binary batch.
#include "fuzz_main.h"
#include "hashrl/data/readers.h"

HASHRL_FUZZ_TARGET(data, size) {
  hashrl::parse_cifar10_batch(std::string(reinterpret_cast<const char*>(data), size), "data_batch.bin");
}
