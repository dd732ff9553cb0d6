import Testing
@testable import TradeoffKit

struct GraderOutcomeJSONTests {
    static let outcomes: [[GraderOutcome]] = [
        [],
        [GraderOutcome(type: "exact", score: 1, weight: 1, reason: "matched '42' after trim")],
        [GraderOutcome(type: "contains", score: 0.5, passed: false, weight: 2.5, reason: "a/b \"q\"\n\u{1} é 😀",
                       metric: "accuracy", extracted: "B"),
         .error(type: "command", weight: 1, metric: nil, reason: "exit 2: </script>"),
         GraderOutcome(type: "numeric", score: 0.30000000000000004, weight: 1e-7, reason: "", metric: "", extracted: "")],
        [GraderOutcome(type: "judge", score: 1, weight: 1, reason: "ok",
                       judges: [JudgeOpinion(model: "j", score: 1, passed: true, verdict: "pass", reason: "fine")])],
        [GraderOutcome(type: "numeric", score: .nan, weight: 1, reason: "NaN")],
        [GraderOutcome(type: "t", score: 1, passed: true, weight: -0.0, reason: "r", metric: "m", isError: true, extracted: "e"),
         GraderOutcome(type: "u", score: 0, passed: true, weight: .infinity, reason: "")],
        [Self.online(GraderOutcome(type: "length", score: 1, weight: 1, reason: "1 word", metric: "format")),
         Self.online(GraderOutcome(type: "json-valid", score: 0, weight: 1, reason: "no JSON"))],
    ]

    /// `outcome` marked as an online grader's.
    static func online(_ outcome: GraderOutcome) -> GraderOutcome {
        var outcome = outcome
        outcome.online = true
        return outcome
    }

    /// The grades column reads as `GraderOutcome.encoded` (JSONEncoder) wrote it, byte for byte.
    @Test(arguments: outcomes)
    func gradesMatchJSONEncoder(_ outcomes: [GraderOutcome]) {
        #expect(GraderOutcome.json(of: outcomes) == GraderOutcome.encoded(outcomes))
    }
}
