import Foundation
import Testing
@testable import TradeoffKit

struct GraderTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var kind: GraderSpec.Kind
        var answer: String
        var variables: [String: String] = [:]
        var passes: Bool
        var reason: String
        var testDescription: String { "\(kind) on '\(answer)'" }
    }

    @Test(arguments: [
        Example(kind: .exact(expected: Template("{{label}}"), normalize: [.trim, .lowercase]), answer: " Billing\n",
                variables: ["label": "billing"], passes: true, reason: "matches 'billing' after trim/lowercase"),
        Example(kind: .exact(expected: Template("{{label}}"), normalize: []), answer: "Billing",
                variables: ["label": "billing"], passes: false, reason: "expected 'billing', got 'Billing'"),
        Example(kind: .exact(expected: Template("a b"), normalize: [.collapseWhitespace]), answer: "a \t\n b",
                passes: true, reason: "matches 'a b' after collapse-whitespace"),
        Example(kind: .exact(expected: Template("café"), normalize: [.lowercase]), answer: "CAFÉ",
                passes: true, reason: "matches 'café' after lowercase"),
        Example(kind: .contains(value: Template("30"), ignoreCase: false), answer: "Within 30 days.",
                passes: true, reason: "contains '30'"),
        Example(kind: .contains(value: Template("DAYS"), ignoreCase: true), answer: "Within 30 days.",
                passes: true, reason: "contains 'DAYS'"),
        Example(kind: .contains(value: Template("DAYS"), ignoreCase: false), answer: "Within 30 days.",
                passes: false, reason: "does not contain 'DAYS'"),
        Example(kind: .notContains(value: Template("sorry"), ignoreCase: true), answer: "Sorry, I can't.",
                passes: false, reason: "contains 'sorry', which it must not"),
        Example(kind: .notContains(value: Template("sorry"), ignoreCase: true), answer: "42",
                passes: true, reason: "does not contain 'sorry'"),
        Example(kind: .regex(pattern: #"^[\w.+-]+@[\w-]+\.[\w.]+$"#, ignoreCase: false), answer: "ana@example.com",
                passes: true, reason: #"/^[\w.+-]+@[\w-]+\.[\w.]+$/ matched 'ana@example.com'"#),
        Example(kind: .regex(pattern: "^yes$", ignoreCase: true), answer: "YES", passes: true, reason: "/^yes$/ matched 'YES'"),
        Example(kind: .regex(pattern: "^yes$", ignoreCase: false), answer: "YES", passes: false, reason: "no match for /^yes$/"),
        Example(kind: .jsonValid, answer: " {\"name\": \"Ana\", \"age\": 31}\n", passes: true, reason: "valid JSON"),
        Example(kind: .jsonValid, answer: "{\"name\": \"Ana\"", passes: false,
                reason: "not valid JSON (unterminated object (expected '}') at character 15): '{\"name\": \"Ana\"'"),
        Example(kind: .jsonValid, answer: "42", passes: true, reason: "valid JSON"),
    ])
    func grades(_ example: Example) throws {
        let outcome = try Grader(GraderSpec(example.kind)).grade(example.answer, variables: example.variables)
        #expect(outcome.score == (example.passes ? 1 : 0))
        #expect(outcome.reason == example.reason)
    }

    @Test(arguments: [
        // Normalizations compose, in the order written.
        Example(kind: .exact(expected: Template("billing"), normalize: [.trim, .stripPunctuation, .lowercase]),
                answer: "  Billing.\n", passes: true, reason: "matches 'billing' after trim/strip-punctuation/lowercase"),
        Example(kind: .exact(expected: Template("Full width"), normalize: [.nfkc]), answer: "Ｆｕｌｌ ｗｉｄｔｈ",
                passes: true, reason: "matches 'Full width' after nfkc"),
        Example(kind: .exact(expected: Template("ﬁne"), normalize: []), answer: "fine", passes: false,
                reason: "expected 'ﬁne', got 'fine'"),
        // Canonically equivalent texts are equal: é precomposed or as e + combining accent.
        Example(kind: .exact(expected: Template("caf\u{E9}"), normalize: []), answer: "cafe\u{301}", passes: true,
                reason: "matches 'café'"),
        Example(kind: .exact(expected: Template("SELECT 1"), normalize: [.stripCodeFences, .trim]),
                answer: "```sql\nSELECT 1\n```", passes: true, reason: "matches 'SELECT 1' after strip-code-fences/trim"),
        Example(kind: .exact(expected: Template("42"), normalize: [.stripCodeFences]), answer: "```42```", passes: true,
                reason: "matches '42' after strip-code-fences"),
        Example(kind: .exact(expected: Template("a b c"), normalize: [.collapseWhitespace]), answer: " a\u{00A0}b\t\tc ",
                passes: true, reason: "matches 'a b c' after collapse-whitespace"),
        Example(kind: .contains(value: Template("ÉTÉ"), ignoreCase: true), answer: "l'été dernier", passes: true,
                reason: "contains 'ÉTÉ'"),
        Example(kind: .contains(value: Template("refund"), ignoreCase: false, normalize: [.lowercase]),
                answer: "REFUND issued", passes: true, reason: "contains 'refund' after lowercase"),
        Example(kind: .containsAny(values: [Template("yes"), Template("yep")], ignoreCase: true), answer: "Yep, done",
                passes: true, reason: "contains 'yep'"),
        Example(kind: .containsAny(values: [Template("yes"), Template("yep")], ignoreCase: false), answer: "No",
                passes: false, reason: "contains none of 'yes' and 'yep'"),
        Example(kind: .containsAll(values: [Template("{{a}}"), Template("{{b}}"), Template("c")], ignoreCase: false),
                answer: "x 1 y", variables: ["a": "1", "b": "2"], passes: false, reason: "missing '2' and 'c' (1 of 3 found)"),
        Example(kind: .containsAll(values: [Template("🚀"), Template("日本")], ignoreCase: false), answer: "🚀 to 日本",
                passes: true, reason: "contains all 2 values"),
        Example(kind: .startsWith(value: Template("Dear"), ignoreCase: false), answer: "Hi there", passes: false,
                reason: "starts with 'Hi t', not 'Dear'"),
        Example(kind: .startsWith(value: Template("dear"), ignoreCase: true, normalize: [.trim]), answer: "  Dear Ana",
                passes: true, reason: "starts with 'dear' after trim"),
        Example(kind: .regex(pattern: "^total: (?<total>\\d+)$", ignoreCase: true, flags: [.multiline]),
                answer: "Items: 3\nTOTAL: 42\nbye", passes: true, reason: "/^total: (?<total>\\d+)$/ matched 'TOTAL: 42' (total = '42')"),
        Example(kind: .regex(pattern: "a.b", ignoreCase: false), answer: "a\nb", passes: false, reason: "no match for /a.b/"),
        Example(kind: .regex(pattern: "a.b", ignoreCase: false, flags: [.dotMatchesLineSeparators]), answer: "a\nb",
                passes: true, reason: "/a.b/ matched 'a\\nb'"),
        Example(kind: .oneOf(labels: ["billing", "bug", "feature", "other"].map(Template.init), expected: Template("{{label}}"),
                             ignoreCase: true), answer: "Billing.", variables: ["label": "billing"], passes: true,
                reason: "names 'billing', as expected"),
        Example(kind: .oneOf(labels: ["billing", "bug"].map(Template.init), expected: Template("bug"), ignoreCase: true),
                answer: "It's billing, not a bug", passes: false, reason: "names 2 labels ('billing' and 'bug'), not exactly one"),
        Example(kind: .oneOf(labels: ["bug", "bug report"].map(Template.init), expected: Template("bug report"), ignoreCase: false),
                answer: "a bug report", passes: true, reason: "names 'bug report', as expected"),
        // Whole words only: "debugging" does not name "bug".
        Example(kind: .oneOf(labels: ["bug", "feature"].map(Template.init), expected: nil, ignoreCase: false),
                answer: "debugging", passes: false, reason: "names none of the labels 'bug' and 'feature'"),
        Example(kind: .length(min: 2, max: 5, unit: .characters), answer: "👍🏽é", passes: true, reason: "2 characters, within 2–5"),
        Example(kind: .length(min: 3, max: nil, unit: .words), answer: "one  two", passes: false,
                reason: "2 words, fewer than the minimum 3"),
        Example(kind: .length(min: nil, max: 1, unit: .words), answer: "word", passes: true, reason: "1 word, at most 1"),
    ])
    func textGraders(_ example: Example) throws {
        let outcome = try Grader(GraderSpec(example.kind)).grade(example.answer, variables: example.variables)
        #expect(outcome.passed == example.passes)
        #expect(outcome.score == (example.passes ? 1 : 0))
        #expect(outcome.reason == example.reason)
    }

    @Test func oneOfRecordsTheLabelFound() throws {
        let spec = GraderSpec(.oneOf(labels: [Template("billing"), Template("bug")], expected: Template("bug"), ignoreCase: true))
        let outcome = try Grader(spec).grade("BILLING", variables: [:])
        #expect(outcome.extracted == "billing")
        #expect(outcome.reason == "names 'billing', expected 'bug'")
    }

    @Test func notInvertsScoreAndPass() throws {
        let spec = GraderSpec(.contains(value: Template("sorry"), ignoreCase: true), weight: 2, negated: true, metric: "tone")
        let apologetic = try Grader(spec).grade("Sorry!", variables: [:])
        #expect(apologetic.score == 0 && !apologetic.passed)
        #expect(apologetic.reason == "not: contains 'sorry'")
        #expect(apologetic.metric == "tone" && apologetic.weight == 2)
        let plain = try Grader(spec).grade("Done.", variables: [:])
        #expect(plain.score == 1 && plain.passed)
    }

    @Test func regexCapturesFeedLaterGraders() throws {
        let task = SuiteTask(id: "t", system: nil, prompt: Template("q"), settings: .defaults, graders: [
            GraderSpec(.regex(pattern: "Total: (?<total>[^\\n]+)", ignoreCase: false)),
            GraderSpec(.numeric(expected: Template("{{want}}"), tolerance: 0.01, relativeTolerance: 0), input: "total"),
            GraderSpec(.exact(expected: Template("{{total}}"), normalize: [.trim])),
        ], cases: [])
        let grader = try CaseGrader(task: task, testCase: TestCase(id: "1", variables: ["want": "1234.5"]))
        let grade = grader.grade("Subtotal: 1,000\nTotal: $1,234.50", variables: ["want": "1234.5"])
        #expect(grade.outcomes.map(\.passed) == [true, true, false])
        #expect(grade.outcomes[1].reason == "got 1234.5 (from '$1,234.50'), expected 1234.5")
        #expect(grade.outcomes[2].reason == "expected '$1,234.50', got 'Subtotal: 1,000\\nTotal: $1,234.50' after trim")

        let unmatched = grader.grade("no total here", variables: ["want": "1"])
        #expect(unmatched.outcomes[1].reason == "nothing captured as 'total' (the regex capturing it did not match)")
        #expect(!unmatched.outcomes[1].passed && !unmatched.outcomes[1].isError)
    }

    @Test func aRegexThatBacktracksForeverIsAGraderErrorAndTheOtherGradersStillGrade() throws {
        // 2^150 ways to split the x's between the two `x+`: without a limit this never ends.
        let task = SuiteTask(id: "t", system: nil, prompt: Template("q"), settings: .defaults, graders: [
            GraderSpec(.regex(pattern: "(x+x+)+y", ignoreCase: false)),
            GraderSpec(.contains(value: Template("x"), ignoreCase: false)),
        ], cases: [])
        let grader = try CaseGrader(task: task, testCase: TestCase(id: "1", variables: [:]))
        let grade = grader.grade(String(repeating: "x", count: 150), variables: [:])
        #expect(grade.outcomes[0].isError)
        #expect(grade.outcomes[0].reason == "/(x+x+)+y/ gave up after 1 s of matching a 150-character answer: the "
                + "pattern backtracks too much (nested quantifiers like (a+)+ can take exponential time)")
        #expect(grade.outcomes[1].passed && grade.errorCount == 1 && grade.score == 1)
        // The same pattern on an answer it settles quickly is graded as usual.
        #expect(grader.grade("xxy", variables: [:]).outcomes[0].reason == "/(x+x+)+y/ matched 'xxy'")
    }

    @Test func graderErrorsAreLeftOutOfTheScoreAndCounted() {
        let grade = CaseGrade(outcomes: [
            GraderOutcome(type: "exact", score: 1, weight: 1, reason: ""),
            .error(type: "command", weight: 3, metric: nil, reason: "command 'x' timed out after 1 s"),
        ], threshold: 1)
        #expect(grade.score == 1 && grade.passed)
        #expect(grade.errorCount == 1 && grade.isGraded)
        let none = CaseGrade(outcomes: [.error(type: "judge", weight: 1, metric: nil, reason: "no verdict")], threshold: 0)
        #expect(!none.isGraded && !none.passed && none.score == 0)
    }

    @Test func outcomesRoundTripThroughTheGradesColumn() throws {
        let outcome = GraderOutcome(type: "judge", score: 0.75, passed: true, weight: 1, reason: "j: 4/5", metric: "helpfulness",
                                    judges: [JudgeOpinion(model: "j", score: 0.75, passed: true, verdict: "4/5", reason: "ok",
                                                          costMicros: 12, calls: 2)])
        let text = GraderOutcome.encoded([outcome, .error(type: "command", weight: 1, metric: nil, reason: "boom")])
        #expect(text == #"[{"judges":[{"calls":2,"cost_micros":12,"model":"j","passed":true,"reason":"ok","score":0.75,"verdict":"4/5"}],"metric":"helpfulness","passed":true,"reason":"j: 4/5","score":0.75,"type":"judge","weight":1},{"error":true,"passed":false,"reason":"boom","score":0,"type":"command","weight":1}]"#)
        var call = CallRecord(runId: 1, modelId: "m", taskId: "t", caseId: "c", startedAt: Date(), finishedAt: Date())
        call.grades = text
        #expect(call.graderOutcomes == [outcome, .error(type: "command", weight: 1, metric: nil, reason: "boom")])
    }

    @Test func caseScoreIsTheWeightedMean() {
        let grade = CaseGrade(outcomes: [
            GraderOutcome(type: "exact", score: 1, weight: 3, reason: ""),
            GraderOutcome(type: "contains", score: 0, weight: 1, reason: ""),
        ], threshold: 0.75)
        #expect(grade.score == 0.75)
        #expect(grade.passed)
        let stricter = CaseGrade(outcomes: grade.outcomes, threshold: 0.8)
        #expect(!stricter.passed)
    }

    @Test func caseGraderAddsTheCasesOwnGraders() throws {
        let task = SuiteTask(id: "t", system: nil, prompt: Template("{{q}}"), settings: .defaults,
                             graders: [GraderSpec(.contains(value: Template("30"), ignoreCase: false))],
                             cases: [])
        let testCase = TestCase(id: "1", variables: ["q": "?"], graders: [GraderSpec(.notContains(value: Template("60"), ignoreCase: false))])
        let grade = try CaseGrader(task: task, testCase: testCase).grade("30 or 60", variables: testCase.variables)
        #expect(grade.outcomes.map(\.type) == ["contains", "not-contains"])
        #expect(grade.score == 0.5)
        #expect(!grade.passed)
    }

    /// Without a task threshold a case passes when every grader passes by its own rule: a
    /// `similarity` grader passing at 0.83 ≥ 0.8 passes its case (a default threshold of 1.0
    /// applied to the score used to fail it). With a threshold, the weighted score decides.
    @Test func withoutAThresholdEveryGraderMustPass() throws {
        #expect(TaskSettings.defaults.threshold == nil)
        let similar = GraderSpec(.similarity(references: [Template("the invoice is overdue")], threshold: 0.8,
                                             ignoreCase: true))
        let task = SuiteTask(id: "t", system: nil, prompt: Template("{{q}}"), settings: .defaults, graders: [similar],
                             cases: [])
        let testCase = TestCase(id: "1", variables: ["q": "?"], graders: [])
        let grade = try CaseGrader(task: task, testCase: testCase).grade("the invoice is overdue!!!!", variables: [:])
        #expect(grade.score > 0.8 && grade.score < 1 && grade.passed)
        var strict = task
        strict.settings.threshold = 1
        #expect(try !CaseGrader(task: strict, testCase: testCase).grade("the invoice is overdue!!!!", variables: [:]).passed)

        let mixed = [GraderOutcome(type: "exact", score: 1, weight: 3, reason: ""),
                     GraderOutcome(type: "contains", score: 0, weight: 1, reason: "")]
        #expect(!CaseGrade(outcomes: mixed, threshold: nil).passed)  // one grader failed
        #expect(CaseGrade(outcomes: mixed, threshold: 0.75).passed)  // the weighted 0.75 reaches it
        #expect(!CaseGrade(outcomes: [], threshold: nil).passed)
    }

    @Test func templatesFillPlaceholders() {
        let template = Template("Ticket {{ id }}: {{text}} ({{id}}) {{unclosed")
        #expect(template.placeholders == ["id", "text"])
        #expect(template.render(["id": "7", "text": "hi"]) == "Ticket 7: hi (7) {{unclosed")
    }
}
