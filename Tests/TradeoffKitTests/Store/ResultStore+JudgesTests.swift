import Foundation
import GRDB
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// A judge call stays with the call it judged when a run is merged: a run with prompt variants
/// has one call per variant of each case, model and repeat.
struct ResultStoreJudgesTests {
    /// A finished run at `path` with two prompt variants of one case, each call judged once;
    /// each judge call's prompt hash names its call's variant.
    static func variantRun(at path: String) throws {
        let suite = Suite(name: "s", description: nil, path: "s.yaml", contentHash: "hash", tasks: [
            SuiteTask(id: "t", system: nil, prompt: Template("{{q}}"), settings: .defaults, graders: [GraderSpec(.jsonValid)],
                      cases: [TestCase(id: "1", variables: ["q": "a"])]),
        ])
        let model = ModelEntry(id: "m", baseURL: "http://127.0.0.1:1/v1", model: "sim/m", modelClass: .open,
                               price: nil, apiKeyEnv: nil)
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let store = try ResultStore(path: path)
        let runID = try store.beginRun(RunRecord(suite: "s", suitePath: "s.yaml", suiteHash: "hash", catalogPath: "m.yaml",
                                                 toolVersion: "0.1.0", startedAt: start, status: .running),
                                       models: [model], suite: suite)
        let graded = ["terse", "verbose"].map { variant in
            var call = CallRecord(runId: runID, modelId: "m", taskId: "t", caseId: "1", startedAt: start, finishedAt: start)
            call.promptVariant = variant
            call.output = "{}"
            var judgeCall = JudgeCallRecord(runId: runID, graderIndex: 0, judge: model, promptSha256: variant,
                                            startedAt: start, finishedAt: start)
            judgeCall.output = "PASS"
            judgeCall.costMicros = 10
            return GradedCall(call, judgeCalls: [judgeCall])
        }
        try store.record(graded)
        try store.finishRun(runID, status: .completed)
        try store.close()
    }

    /// Each judge call's prompt hash and its call's variant, in the judge calls' order.
    static let links = """
        SELECT j.prompt_sha256, c.prompt_variant FROM judge_calls j JOIN calls c ON c.id = j.call_id ORDER BY j.id
        """

    @Test func aMergedJudgeCallStaysWithItsVariantsCall() throws {
        try withTemporaryDirectory { directory in
            let source = directory.file("shard.sqlite")
            try Self.variantRun(at: source)
            let merged = try ResultStore(path: directory.file("all.sqlite"))
            _ = try merged.merge([source])
            let links = try merged.pool.read { db in
                try Row.fetchAll(db, sql: Self.links).map { "\($0[0] as String) -> \($0[1] as String)" }
            }
            // Matched without the variant, each judge call was copied once for each variant's call.
            #expect(links == ["terse -> terse", "verbose -> verbose"])
        }
    }
}
