// libFuzzer target: .npy bytes (every reader of codes, labels, features and splits goes through it).
#include "fuzz_main.h"
#include "hashrl/common/npy.h"

HASHRL_FUZZ_TARGET(data, size) { hashrl::parse_npy(std::string(reinterpret_cast<const char*>(data), size), "fuzz.npy"); }
