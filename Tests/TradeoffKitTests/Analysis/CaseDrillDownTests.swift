import Testing
@testable import TradeoffKit

/// Which cases a page shows one by one, in what order, and what each model's answer carries.
struct CaseDrillDownTests {
    @Test func showsDisagreementsThenFailuresThenTheRestUpToTheLimit() throws {
        let (summary, calls) = ReportFixture.mixed
        let whole = try #require(summary.drillDown(calls: calls.map(ReportCall.init)))
        #expect(whole.caseCount == 5 && whole.leftOut == 0)
        // Widest spread first (ties in suite order): 1, 1, 0.5 (classify/3), 1/3 (extract/a); then the case all passed.
        #expect(whole.cases.map { "\($0.taskID)/\($0.caseID)" } == ["classify/2", "extract/b", "classify/3", "extract/a",
                                                                       "classify/1"])
        #expect(whole.disagreementCount == 4)
        #expect(whole.cases.map(\.modelsDisagree) == [true, true, true, true, false])
        #expect(whole.modelIDs == ["frontier-a", "open-b", "local-c"])
        #expect(whole.taskIDs == ["classify", "extract"])

        let bounded = try #require(summary.drillDown(calls: calls.map(ReportCall.init), limit: 2))
        #expect(bounded.cases.map(\.caseID) == ["2", "b"])
        #expect(bounded.leftOut == 3)
    }

    @Test func putsFailedCasesBeforeCasesEveryModelPassed() throws {
        let (summary, calls) = ReportFixture.decision
        let cases = try #require(summary.drillDown(calls: calls.map(ReportCall.init)))
        // Every case open-bad or open-good fails is one the frontier model passes: 27 disagreements.
        #expect(cases.disagreementCount == 27)
        #expect(cases.cases.prefix(27).allSatisfy { $0.modelsDisagree && $0.someModelFailed })
        #expect(cases.cases.dropFirst(27).allSatisfy { !$0.modelsDisagree && !$0.someModelFailed })
        #expect(cases.cases.prefix(3).map(\.caseID) == ["c1", "c3", "c5"])
    }

    @Test func answersCarryTheirOutcomeScoreAndCall() throws {
        let (summary, calls) = ReportFixture.mixed
        let cases = try #require(summary.drillDown(calls: calls.map(ReportCall.init)))
        let third = try #require(cases.cases.first { $0.taskID == "classify" && $0.caseID == "3" })
        #expect(third.answers.map(\.modelID) == ["frontier-a", "open-b", "local-c"])
        #expect(third.answers.map(\.outcome) == [.failed, .error, .passed])
        #expect(third.answers.map(\.score) == [0.5, nil, 1])
        #expect(third.answers[0].call?.output == "line one\nline two")
        #expect(third.answers[1].call?.errorClass == .rateLimited)
        #expect(third.spread == 0.5)
    }

    @Test func isNilForCallsTheSummaryWasNotBuiltFrom() {
        let (summary, calls) = ReportFixture.mixed
        #expect(summary.drillDown(calls: calls.reversed().map(ReportCall.init)) == nil)
        #expect(summary.drillDown(calls: Array(calls.dropLast()).map(ReportCall.init)) == nil)
    }

    @Test func fillsGradesAndVariablesReadForTheCasesShown() throws {
        let (summary, calls) = DrillDownFixture.run
        var cases = try #require(summary.drillDown(calls: calls.map(ReportCall.init)))
        #expect(!cases.hasVariables)
        #expect(cases.callIDsWithoutGrades == [3])
        cases.fill(grades: [3: DrillDownFixture.grades(judged: false)], variables: [["ticket": "refund"]])
        #expect(cases.hasVariables)
        #expect(cases.callIDsWithoutGrades.isEmpty)
        #expect(cases.cases[0].variables == ["ticket": "refund"])
        #expect(cases.cases[0].answers[1].call?.graderOutcomes.map(\.reason) == ["expected \"billing\""])
    }
}
