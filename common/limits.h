#pragma once
// Bounds on sizes that come from users' files, checked before anything is allocated, so that a
// wrong or hostile value is an error naming its source rather than the allocator's "tried to
// allocate 128000000000 bytes".
#include <cstdint>

namespace hashrl {

// Classes (or multi-hot label columns) of a data set: NUS-WIDE has 81, ImageNet-21k 21,841.
inline constexpr int64_t kMaxLabels = 65536;

// Elements of one array read from a file (a .npy, an IDX file): 2^40, more than this machine
// holds and small enough that sizes in bytes cannot overflow.
inline constexpr int64_t kMaxFileElements = int64_t{1} << 40;

}  // namespace hashrl
