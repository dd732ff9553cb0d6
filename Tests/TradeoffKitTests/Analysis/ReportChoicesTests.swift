import Testing
@testable import TradeoffKit

/// How a report's reference, margin and gates are chosen from the suite and the flags.
struct ReportChoicesTests {
    private let models = ["claude", "llama"]

    @Test func flagsWinOverTheSuiteAndTheSuiteOverTheDefaults() throws {
        let suite = ReportChoices.SuiteSide(reference: "llama", margin: 0.1, gates: [])
        let fromSuite = ReportChoices(modelIDs: models, suite: suite, reference: nil, margin: nil, volume: nil, gates: [])
        #expect(fromSuite.settings.reference == "llama")
        #expect(fromSuite.settings.margin == 0.1)
        let fromFlags = ReportChoices(modelIDs: models, suite: suite, reference: "claude", margin: 0.02,
                                      volume: try Volume(parsing: "2M/month"), gates: [])
        #expect(fromFlags.settings.reference == "claude")
        #expect(fromFlags.settings.margin == 0.02)
        #expect(fromFlags.settings.volume == (try Volume(parsing: "2M")))
        let alone = ReportChoices(modelIDs: models, suite: nil, reference: nil, margin: nil, volume: nil, gates: [])
        #expect(alone.settings.reference == nil)
        #expect(alone.settings.margin == 0.05)
        #expect(alone.notes.isEmpty && alone.problems.isEmpty)
    }

    @Test func whatTheSuiteNamesOutsideTheRunIsSetAsideWithANote() throws {
        let suite = ReportChoices.SuiteSide(reference: "gpt", margin: nil,
                                            gates: [try Gate(parsing: "quality(gpt) >= 0.8"),
                                                    try Gate(parsing: "quality(llama) >= 0.5")])
        let choices = ReportChoices(modelIDs: models, suite: suite, reference: nil, margin: nil, volume: nil, gates: [])
        #expect(choices.settings.reference == nil)
        #expect(choices.gates.map(\.text) == ["quality(llama) >= 0.5"])
        #expect(choices.notes == [
            "the suite's reference 'gpt' is not in this run; comparing with the best frontier model",
            "gate 'quality(gpt) >= 0.8' of the suite is skipped: model 'gpt' is not in this run",
        ])
        #expect(choices.problems.isEmpty)
    }

    @Test func whatAFlagNamesOutsideTheRunIsAProblem() throws {
        let choices = ReportChoices(modelIDs: models, suite: nil, reference: "lama", margin: nil, volume: nil,
                                    gates: [try Gate(parsing: "quality(gpt) >= 0.8"), try Gate(parsing: "quality(*) >= 0.1")])
        #expect(choices.gates.map(\.text) == ["quality(*) >= 0.1"])
        #expect(choices.problems.count == 2)
        #expect(choices.problems.first?.hasPrefix("unknown model 'lama' in --reference (did you mean 'llama'?)") == true)
    }
}
