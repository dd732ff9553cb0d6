import Foundation
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// What `--resume` accepts, and every reason it refuses, pinned word for word.
struct ResumptionTests {
    private static let model = ModelEntry(id: "m", baseURL: "http://h", model: "m", modelClass: .open, price: nil,
                                          apiKeyEnv: nil)

    private static func suite(hash: String = "aaaaaaaaaaaaaaaa") -> Suite {
        let task = SuiteTask(id: "t", system: nil, prompt: Template("q"), settings: .defaults, graders: [],
                             cases: [TestCase(id: "1", variables: [:]), TestCase(id: "2", variables: [:])])
        return Suite(name: "s", description: nil, path: "s.yaml", contentHash: hash, tasks: [task])
    }

    /// A store holding one run of `suite()` with model `m`, case 1 answered.
    private static func store(in directory: TemporaryDirectory) throws -> ResultStore {
        let store = try ResultStore(path: directory.file("r.sqlite"))
        let runID = try store.beginRun(
            RunRecord(suite: "s", suitePath: "s.yaml", suiteHash: suite().contentHash, catalogPath: "c", toolVersion: "t",
                      startedAt: Date(), status: .interrupted),
            models: [model], suite: suite())
        var call = CallRecord(runId: runID, modelId: "m", taskId: "t", caseId: "1", startedAt: Date(), finishedAt: Date())
        call.output = "a"
        try store.record([call])
        return store
    }

    @Test func theLatestRunOfTheSuiteIsContinuedWithItsRecordedCalls() throws {
        try withTemporaryDirectory { directory in
            let store = try Self.store(in: directory)
            let plan = RunPlan(suite: Self.suite(), models: [Self.model])
            let latest = try Resumption.find("latest", for: plan, in: store, retryingErrors: false)
            #expect(latest.runID == 1)
            #expect(latest.recorded.count == 1)
            #expect(try Resumption.find("1", for: plan, in: store, retryingErrors: false) == latest)
        }
    }

    @Test(arguments: [
        ("soon", nil, "--resume takes 'latest' or a run id, got 'soon'"),
        ("9", nil, "no run 9 to resume in {db}"),
        ("1", "bbbbbbbbbbbbbbbb", "run 1 was made with another version of the suite (SHA-256 aaaaaaaaaaaa, now bbbbbbbbbbbb); "
            + "resuming would mix answers to different cases — start a new run"),
        ("latest", "other-models", "run 1 was made with models m, not m, n; resume it with the same --models and --only-models"),
    ] as [(String, String?, String)])
    func aRunThatCannotBeContinuedIsRefused(selector: String, change: String?, message: String) throws {
        try withTemporaryDirectory { directory in
            let store = try Self.store(in: directory)
            var plan = RunPlan(suite: Self.suite(), models: [Self.model])
            if change == "other-models" {
                var other = Self.model
                other.id = "n"
                plan = RunPlan(suite: Self.suite(), models: [Self.model, other])
            } else if let change {
                plan = RunPlan(suite: Self.suite(hash: change), models: [Self.model])
            }
            let error = #expect(throws: ResumeError.self) {
                try Resumption.find(selector, for: plan, in: store, retryingErrors: false)
            }
            #expect(error?.description == message.replacingOccurrences(of: "{db}", with: store.path))
        }
    }

    @Test func aSuiteWithoutRunsHasNothingToResume() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("empty.sqlite"))
            let error = #expect(throws: ResumeError.self) {
                try Resumption.find("latest", for: RunPlan(suite: Self.suite(), models: [Self.model]), in: store,
                                    retryingErrors: false)
            }
            #expect(error?.description == "no run of 's' to resume in \(store.path)")
        }
    }
}
