import Foundation
import GRDB
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// `CallRecord.init(row:)` decodes by hand for speed; this keeps it complete.
struct CallRecordRowTests {
    /// A call with every property set to something other than its default.
    static func everyFieldSet(runID: Int64) -> CallRecord {
        var call = CallRecord(runId: runID, modelId: "m", taskId: "t", caseId: "1",
                              startedAt: Date(timeIntervalSince1970: 1_700_000_000),
                              finishedAt: Date(timeIntervalSince1970: 1_700_000_001))
        call.repeatIndex = 2
        call.output = "out"
        call.score = 0.5
        call.passed = false
        call.grades = "[]"
        call.graderErrors = 1
        call.judgeCostMicros = 9
        call.inputTokens = 10
        call.cachedInputTokens = 3
        call.cacheWriteTokens = 2
        call.cacheWrite1hTokens = 1
        call.outputTokens = 4
        call.reasoningTokens = 1
        call.usageSource = .estimated
        call.failedAttemptsUsage = "[]"
        call.costMicros = 11
        call.computedCostMicros = 12
        call.reportedCostMicros = 11
        call.costSource = .reported
        call.streamed = true
        call.latencyMs = 20
        call.ttftMs = 5
        call.outputTokensPerSecond = 80
        call.attempts = 3
        call.backoffMs = 1_500
        call.connectMs = 1
        call.tlsMs = 2
        call.firstByteMs = 4
        call.httpStatus = 200
        call.requestHash = "abc"
        call.cachedFrom = 7
        call.batched = true
        call.batchFallback = true
        call.toolCalls = #"[{"arguments":"{}","name":"t"}]"#
        call.promptVariant = "terse"
        call.meanLogprob = -0.105
        call.logprobTokens = 7
        call.finishReason = "length"
        call.finishReasonRaw = "max_tokens"
        call.truncated = true
        call.refused = true
        call.servingProvider = "SimCloud"
        call.servedModel = "sim/m-2025"
        call.requestId = "req_1"
        call.usageUntrusted = "the provider reported -5 input tokens, below zero"
        call.errorClass = nil
        call.errorMessage = nil
        return call
    }

    /// A run of model `m` on task `t`'s one case `1`, begun in `store`: what a call row needs.
    static func beginRun(in store: ResultStore) throws -> Int64 {
        let task = SuiteTask(id: "t", system: nil, prompt: Template("q"), settings: .defaults, graders: [],
                             cases: [TestCase(id: "1", variables: [:])])
        return try store.beginRun(
            RunRecord(suite: "s", suitePath: "s", suiteHash: "h", catalogPath: "c", toolVersion: "t", startedAt: Date(),
                      status: .running),
            models: [ModelEntry(id: "m", baseURL: "http://h", model: "m", modelClass: .open, price: nil, apiKeyEnv: nil)],
            suite: Suite(name: "s", description: nil, path: "s", contentHash: "h", tasks: [task]))
    }

    @Test func everyStoredPropertyIsDecoded() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runID = try Self.beginRun(in: store)
            let original = Self.everyFieldSet(runID: runID)

            // The test's record must set every property apart from the error pair (a call has
            // an output or an error, never both): a new property fails here until it is set
            // above and decoded in init(row:).
            let defaults = CallRecord(runId: 0, modelId: "", taskId: "", caseId: "", startedAt: .distantPast,
                                      finishedAt: .distantPast)
            let unset = zip(Mirror(reflecting: original).children, Mirror(reflecting: defaults).children)
                .filter { "\($0.0.value)" == "\($0.1.value)" }.compactMap(\.0.label)
            #expect(unset.sorted() == ["errorClass", "errorMessage", "id"])

            try store.record([original])
            let decoded = try #require(try store.calls(ofRun: runID).first)
            var expected = original
            expected.id = decoded.id
            #expect(decoded == expected)
        }
    }

    /// The batch writer's `insertFast` stores exactly what GRDB's `insert` stores, column for
    /// column, for a call with every field set and for a failed call with most of them nil.
    @Test func fastInsertStoresWhatInsertStores() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runID = try Self.beginRun(in: store)
            var failed = CallRecord(runId: runID, modelId: "m", taskId: "t", caseId: "1",
                                    startedAt: Date(timeIntervalSince1970: 1_700_000_000.123_456),
                                    finishedAt: Date(timeIntervalSince1970: 1_700_000_002.5))
            failed.errorClass = .rateLimited
            failed.errorMessage = "slow down / ünïcode"
            for (index, call) in [Self.everyFieldSet(runID: runID), failed].enumerated() {
                var viaGRDB = call, viaFast = call
                viaGRDB.repeatIndex = 10 * index
                viaFast.repeatIndex = 10 * index + 1
                try store.pool.write { db in
                    try viaGRDB.insert(db)
                    try viaFast.insertFast(db)
                }
                #expect(viaFast.id == viaGRDB.id.map { $0 + 1 })
                let rows = try store.pool.read { db in
                    try Row.fetchAll(db, sql: "SELECT * FROM calls WHERE id IN (?, ?) ORDER BY id",
                                     arguments: [viaGRDB.id, viaFast.id])
                }
                #expect(rows.count == 2)
                // A second insert of the same call breaks the unique key, as it would through GRDB.
                var again = viaFast
                #expect(throws: DatabaseError.self) { try store.pool.write { db in try again.insertFast(db) } }
                for column in rows[0].columnNames where !["id", "repeat_index"].contains(column) {
                    // Storage classes too: an integer stored as a real would compare equal.
                    let (grdb, fast) = (rows[0][column] as DatabaseValue, rows[1][column] as DatabaseValue)
                    #expect(grdb == fast && "\(grdb.storage)" == "\(fast.storage)", "\(column)")
                }
            }
        }
    }

    /// One inserter for a transaction's calls (`ResultStore.record`): each row is the call's own,
    /// with nothing left of the one inserted before it (a full call, then a failed one with
    /// most columns NULL, then the full one again).
    @Test func oneInserterStoresEachCallWhole() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("r.sqlite"))
            let runID = try Self.beginRun(in: store)
            var failed = CallRecord(runId: runID, modelId: "m", taskId: "t", caseId: "1",
                                    startedAt: Date(timeIntervalSince1970: 1_700_000_000), finishedAt: Date(timeIntervalSince1970: 1_700_000_001))
            failed.errorClass = .timeout
            let calls = [Self.everyFieldSet(runID: runID), failed, Self.everyFieldSet(runID: runID)].enumerated().map { index, call in
                var call = call
                call.repeatIndex = index
                return call
            }
            try store.record(calls)
            let stored = try store.pool.read { db in try CallRecord.order(Column("id")).fetchAll(db) }
            #expect(stored.count == 3)
            for (call, back) in zip(calls, stored) {
                var call = call
                call.id = back.id
                #expect(back == call)
            }
        }
    }
}
