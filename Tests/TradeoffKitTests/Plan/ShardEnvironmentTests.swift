import Testing
@testable import TradeoffKit

/// `--shard auto`: the slice of a Kubernetes Indexed Job's pod, from its 0-based index.
struct ShardEnvironmentTests {
    @Test(arguments: [
        ("auto/4", ["JOB_COMPLETION_INDEX": "0"], "1/4"),
        ("auto/4", ["JOB_COMPLETION_INDEX": "3"], "4/4"),
        ("auto", ["JOB_COMPLETION_INDEX": "1", "TRADEOFF_SHARD_COUNT": "2"], "2/2"),
        // The flag's count wins over the variable.
        ("auto/3", ["JOB_COMPLETION_INDEX": "2", "TRADEOFF_SHARD_COUNT": "9"], "3/3"),
        ("2/5", ["JOB_COMPLETION_INDEX": "0"], "2/5"),
    ])
    func podIndexIsTheSlice(text: String, environment: [String: String], expected: String) throws {
        #expect(try ShardChoice(parsing: text).resolve(environment: environment).description == expected)
    }

    @Test(arguments: ["auto/2", "auto"])
    func negativeOrMissingIndexIsRefused(text: String) {
        #expect(throws: ShardError.self) {
            try ShardChoice(parsing: text).resolve(environment: ["JOB_COMPLETION_INDEX": "-1", "TRADEOFF_SHARD_COUNT": "2"])
        }
        #expect(throws: ShardError.self) { try ShardChoice(parsing: text).resolve(environment: ["TRADEOFF_SHARD_COUNT": "2"]) }
    }
}
