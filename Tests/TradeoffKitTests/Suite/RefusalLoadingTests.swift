import Foundation
import Testing
@testable import TradeoffKit

/// Loading `not-refusal`: its `patterns:` checked one by one with located errors, and the grader
/// usable online, where a cascade can escalate on it.
struct RefusalLoadingTests {
    private static func suite(_ grader: String, cascade: String = "") -> String {
        """
        suite: s
        models: {catalog: models.yaml, only: [gpt-4o, local]}
        \(cascade)tasks:
          - id: t
            prompt: hi
            graders:
              - \(grader)
            cases: [{id: one}]
        """
    }

    private func validate(_ suite: String) throws -> String {
        try SuiteFixture(["suites/x.yaml": suite], catalog: ToolDiagnosticsTests.catalog).validate("suites/x.yaml")
    }

    @Test func anOnlineRefusalCheckIsSomethingACascadeEscalatesOn() throws {
        let suite = Self.suite("{type: not-refusal, online: true, patterns: ['je ne peux pas', 'that request violates']}",
                               cascade: "cascades:\n  - {models: [local, gpt-4o], escalate_when: [not-refusal]}\n")
        let fixture = try SuiteFixture(["suites/x.yaml": suite], catalog: ToolDiagnosticsTests.catalog)
        #expect(fixture.validate("suites/x.yaml") == "")
        let loaded = try fixture.load(catalog: nil)
        let grader = try #require(loaded.suite.tasks.first?.graders.first)
        #expect(grader.kind == .notRefusal(patterns: ["je ne peux pas", "that request violates"]) && grader.online)
        #expect(loaded.suite.cascades == [CascadeSpec(models: ["local", "gpt-4o"], escalateWhen: ["not-refusal"])])
        // Without patterns: the built-in phrasings alone.
        let plain = try SuiteFixture(["suites/x.yaml": Self.suite("{type: not-refusal}")], catalog: ToolDiagnosticsTests.catalog)
        #expect(try plain.load(catalog: nil).suite.tasks[0].graders[0].kind == .notRefusal(patterns: []))
    }

    @Test func badPatternsAreLocated() throws {
        let actual = try validate(Self.suite("{type: not-refusal, patterns: ['sorry', '(unclosed', 3, '(x+x+)+y']}"))
        #expect(actual == """
            suites/x.yaml:7:49: error: invalid regex '(unclosed' in 'patterns': expected ')'; each pattern is matched case-insensitively at the start of the answer
                  - {type: not-refusal, patterns: ['sorry', '(unclosed', 3, '(x+x+)+y']}
                                                            ^
            suites/x.yaml:7:65: warning: regex '(x+x+)+y' nests repeats in '(x+x+)+', which can take exponential time on an answer that almost matches (matching stops after 1 s, a grader error); an atomic group (?>...) or a possessive quantifier like x++ avoids it
                  - {type: not-refusal, patterns: ['sorry', '(unclosed', 3, '(x+x+)+y']}
                                                                            ^
            """, "\(actual)")
    }

    @Test func patternsMustBeANonEmptyListAndOtherKeysAreRefused() throws {
        let notList = try validate(Self.suite("{type: not-refusal, patterns: sorry}"))
        #expect(notList.hasPrefix("suites/x.yaml:7:39: error: 'patterns' must be a list, got 'sorry'"), "\(notList)")
        let empty = try validate(Self.suite("{type: not-refusal, patterns: []}"))
        #expect(empty.hasPrefix("suites/x.yaml:7:39: error: 'patterns' must list at least one regex, or be left out to use "
                                + "only the built-in refusal phrasings"), "\(empty)")
        let unknown = try validate(Self.suite("{type: not-refusal, pattern: sorry}"))
        #expect(unknown.hasPrefix("suites/x.yaml:7:29: error: unknown key 'pattern' in 'not-refusal' grader (did you mean 'patterns'?)"),
                "\(unknown)")
    }
}
