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
        Example(kind: .jsonValid, answer: "{\"name\": \"Ana\"", passes: false, reason: "not valid JSON: '{\"name\": \"Ana\"'"),
        Example(kind: .jsonValid, answer: "42", passes: true, reason: "valid JSON"),
    ])
    func grades(_ example: Example) throws {
        let outcome = try Grader(GraderSpec(example.kind)).grade(example.answer, variables: example.variables)
        #expect(outcome.score == (example.passes ? 1 : 0))
        #expect(outcome.reason == example.reason)
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

    @Test func templatesFillPlaceholders() {
        let template = Template("Ticket {{ id }}: {{text}} ({{id}}) {{unclosed")
        #expect(template.placeholders == ["id", "text"])
        #expect(template.render(["id": "7", "text": "hi"]) == "Ticket 7: hi (7) {{unclosed")
    }
}
