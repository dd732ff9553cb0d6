import CMalloc

/// How the C library's `malloc` places large blocks.
public enum LargeAllocations {
    /// The size from which a block is a mapping of its own.
    public static let threshold = 1 << 20

    /// Makes every block of `threshold` bytes or more a mapping of its own, returned to the
    /// system as soon as it is freed.
    ///
    /// glibc maps blocks from 128 KiB at first, but each large block freed raises that bound
    /// (up to 32 MiB), so the arrays a report grows by doubling end up in the heap, where the
    /// space they leave is kept. A report of 1,000,000 calls peaked at 225–242 MB of memory
    /// (its heap at most 189 MB), against the 250 MB it must stay under; with this, 202 MB in
    /// every run, for about a tenth more time (1.34 s against 1.22 s, 5 pairs): `make bench`.
    /// The blocks a call makes are far smaller, and do not change place.
    ///
    /// - Returns: Whether the C library took the setting (glibc does, up to 32 MiB).
    @discardableResult
    public static func mapApart() -> Bool {
        tradeoff_map_blocks_apart_from(Int32(threshold)) == 1
    }
}
