#include "CMalloc.h"

#include <stdlib.h> /* defines __GLIBC__ under glibc */

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int tradeoff_map_blocks_apart_from(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}
