#ifndef TRADEOFF_CMALLOC_H
#define TRADEOFF_CMALLOC_H

/// glibc's `mallopt(M_MMAP_THRESHOLD, bytes)`: blocks of `bytes` or more are mappings of their
/// own, given back to the system when freed. Returns 1 on success, 0 on failure (and 0 where
/// the C library is not glibc).
int tradeoff_map_blocks_apart_from(int bytes);

#endif
