import Testing
@testable import TradeoffKit

/// `numeric` and `choice`: reading numbers and option letters out of answers as models write them.
struct NumberGraderTests {
    @Test(arguments: [
        ("42", 42.0, "42"),
        ("The answer is 42.", 42, "42"),
        ("1,234.5", 1234.5, "1,234.5"),
        ("Total: $1,234,567", 1_234_567, "$1,234,567"),
        ("-0.5%", -0.5, "-0.5%"),
        ("a drop of 12 %", 12, "12 %"),
        ("1e3", 1000, "1e3"),
        ("2.5E-3 mol", 0.0025, "2.5E-3"),
        ("\u{2212}7 degrees", -7, "\u{2212}7"),
        (".5", 0.5, ".5"),
        ("+3", 3, "+3"),
        ("from 10-20 units", 20, "20"),
        ("3 apples and 4 pears, so 7", 7, "7"),
        ("1,2,3", 3, "3"),
        ("x = 3.14159", 3.14159, "3.14159"),
    ])
    func finalNumber(_ text: String, _ value: Double, _ written: String) throws {
        let found = try #require(NumberText.final(in: text))
        #expect(found.value == value)
        #expect(found.text == written)
    }

    @Test(arguments: ["no digits", "H2O", "v1.2", ""])
    func noNumber(_ text: String) {
        #expect(NumberText.final(in: text) == nil)
    }

    struct Example: Sendable, CustomTestStringConvertible {
        var answer: String
        var expected: String
        var tolerance = 0.0
        var relative = 0.0
        var passes: Bool
        var reason: String
        var testDescription: String { "'\(answer)' vs \(expected)" }
    }

    @Test(arguments: [
        Example(answer: "0.1 + 0.2 = 0.30000000000000004", expected: "0.3", passes: true,
                reason: "got 0.3 (from '0.30000000000000004'), expected 0.3"),
        Example(answer: "about 3.2", expected: "3.14159", tolerance: 0.1, passes: true,
                reason: "got 3.2, expected 3.14159 within 0.1"),
        Example(answer: "about 3.3", expected: "3.14159", tolerance: 0.1, passes: false,
                reason: "got 3.3, expected 3.14159 (off by 0.15841; tolerance 0.1)"),
        Example(answer: "revenue was $1,010,000", expected: "1,000,000", relative: 0.01, passes: true,
                reason: "got 1010000 (from '$1,010,000'), expected 1000000 within 10000"),
        Example(answer: "-0.5%", expected: "-0.5", passes: true, reason: "got -0.5 (from '-0.5%'), expected -0.5"),
        Example(answer: "1e3", expected: "1000", passes: true, reason: "got 1000 (from '1e3'), expected 1000"),
        Example(answer: "I don't know", expected: "7", passes: false, reason: "no number in 'I don't know'"),
    ])
    func numeric(_ example: Example) throws {
        let spec = GraderSpec(.numeric(expected: Template(example.expected), tolerance: example.tolerance,
                                       relativeTolerance: example.relative))
        let outcome = try Grader(spec).grade(example.answer, variables: [:])
        #expect(outcome.passed == example.passes)
        #expect(outcome.reason == example.reason)
        #expect(!outcome.isError)
    }

    @Test func anExpectedValueThatIsNotANumberIsAGraderError() throws {
        let spec = GraderSpec(.numeric(expected: Template("{{answer}}"), tolerance: 0, relativeTolerance: 0))
        let outcome = try Grader(spec).grade("42", variables: ["answer": "forty-two"])
        #expect(outcome.isError)
        #expect(outcome.reason == "expected value 'forty-two' is not a number")
    }

    @Test(arguments: [
        ("B", "B"), ("(b)", "B"), ("B)", "B"), ("b.", "B"), ("[C]", "C"),
        ("Answer: B", "B"), ("The answer is B.", "B"), ("Final answer: (d)", "D"), ("**B**", "B"),
        ("I'd go with option C because it is cheaper.", "C"),
        ("B) 42, since 40 + 2 = 42", "B"),
        ("A. Paris", "A"),
        ("Looking at A and B, the answer is B", "B"),
        ("I think (C) fits best", "C"),
        ("The answer is a bit unclear, but (D)", "D"),
    ])
    func choiceReadsTheLetter(_ answer: String, _ letter: String) {
        #expect(ChoiceText.read(answer, options: ["A", "B", "C", "D", "E"]) == .chose(letter))
    }

    @Test func choiceSaysWhenItCannotTell() throws {
        #expect(ChoiceText.read("Either A or B", options: ["A", "B", "C", "D"]) == .ambiguous(["A", "B"]))
        #expect(ChoiceText.read("forty-two", options: ["A", "B", "C", "D"]) == .none)
        // Letters outside the options are not choices.
        #expect(ChoiceText.read("F", options: ["A", "B", "C", "D"]) == .none)

        let spec = GraderSpec(.choice(expected: Template("{{answer}}"), options: ["A", "B", "C", "D"]))
        let wrong = try Grader(spec).grade("The answer is C.", variables: ["answer": "B"])
        #expect(!wrong.passed && wrong.extracted == "C" && wrong.reason == "chose C, expected B")
        let ambiguous = try Grader(spec).grade("A or B", variables: ["answer": "B"])
        #expect(ambiguous.reason == "names A and B: ambiguous, expected B")
        let badData = try Grader(spec).grade("B", variables: ["answer": "Z"])
        #expect(badData.isError && badData.reason == "expected choice 'Z' is not one of the options A, B, C or D")
    }
}
