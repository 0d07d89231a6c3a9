#include "hashrl/common/allocator.h"

#include <malloc.h>

namespace hashrl {

void keep_freed_memory() {
#ifdef __GLIBC__
  mallopt(M_MMAP_MAX, 0);                  // serve large blocks from the heap, which is reused
  mallopt(M_TRIM_THRESHOLD, 1 << 30);      // and do not hand its top back to the kernel
#endif
}

}  // namespace hashrl
