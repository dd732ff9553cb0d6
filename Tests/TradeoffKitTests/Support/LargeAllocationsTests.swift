#if canImport(Glibc)
import Testing
@testable import TradeoffKit

/// `LargeAllocations.mapApart()` is taken by glibc. What it does to a report's memory is a
/// figure of `make bench` (a block's placement also depends on the free space the heap holds,
/// which the other tests of this process change as they run).
struct LargeAllocationsTests {
    @Test func glibcTakesTheThreshold() {
        #expect(LargeAllocations.mapApart())
    }
}
#endif
