import Testing
@testable import TradeoffKit

/// The cache mode a run uses when no flag names one.
struct CacheModeTests {
    @Test(arguments: [
        ([:], false, CacheMode.on),
        (["CI": "true"], false, .write),
        (["CI": "1"], false, .write),
        (["CI": ""], false, .on),
        (["CI": "false"], false, .on),
        (["CI": "0"], false, .on),
        ([:], true, .write),
        (["CI": "false"], true, .write),
    ] as [([String: String], Bool, CacheMode)])
    func ciAndNightlyJobsWriteButDoNotReplay(environment: [String: String], nightly: Bool, expected: CacheMode) {
        #expect(CacheMode.default(environment: environment, nightly: nightly) == expected)
    }
}
