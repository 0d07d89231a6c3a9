#pragma once
// What every libFuzzer target shares: a hashrl::Error is the expected answer to bad input and ends
// the input quietly; anything else that escapes (a LibTorch error, std::bad_alloc, an out_of_range)
// is a finding, as are the crashes, leaks and undefined behaviour the sanitizers report.
//
//   HASHRL_FUZZ_TARGET(data, size) { hashrl::parse_npy(...); }
#include <cstddef>
#include <cstdint>
#include <string>

#include "hashrl/common/error.h"

#define HASHRL_FUZZ_TARGET(data, size)                                             \
  static void hashrl_fuzz_one(const uint8_t* data, size_t size);                   \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {        \
    try {                                                                          \
      hashrl_fuzz_one(data, size);                                                 \
    } catch (const hashrl::Error&) {                                               \
    }                                                                              \
    return 0;                                                                      \
  }                                                                                \
  static void hashrl_fuzz_one(const uint8_t* data, size_t size)
