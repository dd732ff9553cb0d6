#ifndef TRADEOFF_CLAZYLIBRARY_H
#define TRADEOFF_CLAZYLIBRARY_H

/// Opens the shared library `name` and looks up each of the `count` symbols `symbols` into
/// `slots`, in order.
///
/// Returns 0; or -1 with what went wrong (the library that could not be opened, or the symbol
/// it lacks, in the loader's words) in `failure`, which holds `capacity` bytes.
int tradeoff_lazy_library_open(const char *name, const char *const *symbols, void **slots, int count,
                               char *failure, unsigned long capacity);

#endif
