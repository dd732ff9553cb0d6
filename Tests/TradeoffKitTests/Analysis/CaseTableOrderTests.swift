import Foundation
import Testing
@testable import TradeoffKit

/// The case table finds a call's case by guessing the last call's or the next, then by id: the
/// table is the same whatever order the calls were stored in, including case ids that two tasks
/// share and calls of a case no case row names.
struct CaseTableOrderTests {
    @Test func theTableIsTheSameInEveryStoredOrder() throws {
        // Two tasks that both have cases "1" and "2", three models, two repeats.
        let keys = [("a", "1"), ("a", "2"), ("b", "1"), ("b", "2")]
        let cases = keys.enumerated().map { position, key in
            CaseRecord(runId: 1, taskId: key.0, caseId: key.1, position: position % 2, variables: [:])
        }
        let models = ["m0", "m1", "m2"]
        var calls: [ReportCall] = []
        for (model, modelID) in models.enumerated() {
            for (position, key) in keys.enumerated() {
                for repeatIndex in 0..<2 {
                    let score = Double((model + position + repeatIndex) % 3) / 2
                    calls.append(ReportCall(ReportFixture.answer(modelID, key.0, key.1, "x", score: score, cost: 1,
                                                                 latency: 1, runID: 1, repeatIndex: repeatIndex)))
                }
            }
        }
        // A stray case that no case row names, met twice.
        calls.append(ReportCall(ReportFixture.answer("m1", "b", "9", "x", score: 1, cost: 1, latency: 1, runID: 1)))
        calls.append(ReportCall(ReportFixture.answer("m2", "b", "9", "x", score: 0, cost: 1, latency: 1, runID: 1)))

        let modelMajor = calls
        let caseMajor = calls.sorted { ($0.taskId, $0.caseId, $0.modelId) < ($1.taskId, $1.caseId, $1.modelId) }
        var generator = Xoshiro256(seed: 7)
        let shuffled = calls.shuffled(using: &generator)
        let reference = CaseTable(modelIDs: models, cases: cases, calls: modelMajor)
        #expect(reference.keys.count == 5)
        #expect(reference.keys.last == CaseKey(taskID: "b", caseID: "9"))
        for order in [caseMajor, shuffled, modelMajor.reversed()] {
            let table = CaseTable(modelIDs: models, cases: cases, calls: order)
            #expect(table.keys == reference.keys)
            // NaN (a model that answered none of a case) is not equal to itself: compare as nil.
            func plain(_ scores: [[Double]]) -> [[Double?]] { scores.map { $0.map { $0.isNaN ? nil : $0 } } }
            #expect(plain(table.scores) == plain(reference.scores))
            #expect(table.answered == reference.answered)
            // Each call's case is the one it names.
            for (position, call) in order.enumerated() {
                let key = table.keys[Int(table.caseOfCall[position])]
                #expect(key == CaseKey(taskID: call.taskId, caseID: call.caseId))
            }
        }
    }
}
