import Foundation
import Testing
@testable import TradeoffKit

/// The `confidence` grader in a suite: its `min`, the models that cannot return logprobs, and
/// the requests that ask for them (only the cases it grades).
struct ConfidenceDiagnosticsTests {
    static let catalog = """
        models:
          - {id: gpt, provider: openai, base_url: "https://api.openai.com/v1", model: gpt-4o-mini, class: open}
          - {id: claude, provider: anthropic, model: claude-sonnet-4-5, class: frontier}
          - {id: haiku, provider: anthropic, model: claude-haiku-4-5, class: open}

        """

    private func validate(_ suite: String) throws -> String {
        try SuiteFixture(["suites/x.yaml": suite], catalog: Self.catalog).validate("suites/x.yaml")
    }

    @Test func anAnthropicModelCannotBeGradedOnConfidence() throws {
        let actual = try validate("""
            suite: s
            models: models.yaml
            tasks:
              - id: plain
                prompt: hi
                graders: [{type: length, max: 9}]
                cases: [{id: one}]
              - id: sure
                prompt: hi
                graders: [{type: length, max: 9}]
                cases:
                  - id: one
                    graders: [{type: confidence, min: 0.7, online: true}]
            """)
        #expect(actual == """
            suites/x.yaml:13:26: error: task 'sure' has a 'confidence' grader, which reads the answer's token logprobs, but 'claude' and 'haiku' are served by Anthropic's Messages API, which returns none; leave them out with 'only:', or grade confidence another way (a judge)
                    graders: [{type: confidence, min: 0.7, online: true}]
                                     ^
            """)
        // Without the Anthropic models the suite is fine.
        #expect(try validate("""
            suite: s
            models: {catalog: models.yaml, only: [gpt]}
            tasks: [{id: t, prompt: hi, graders: [{type: confidence, min: 0.7}], cases: [{id: one}]}]
            """) == "")
    }

    @Test func minIsRequiredAndAProbability() throws {
        let actual = try validate("""
            suite: s
            models: {catalog: models.yaml, only: [gpt]}
            tasks:
              - id: t
                prompt: hi
                graders:
                  - {type: confidence}
                  - {type: confidence, min: 1.5}
                  - {type: confidence, min: 0.8, expected: x}
                cases: [{id: one}]
            """)
        #expect(actual.contains("suites/x.yaml:7:9: error: missing required key 'min' in 'confidence' grader"), "\(actual)")
        #expect(actual.contains("suites/x.yaml:8:33: error: 'min' must be between 0 and 1, got 1.5"), "\(actual)")
        #expect(actual.contains("suites/x.yaml:9:38: error: unknown key 'expected' in 'confidence' grader (expected type, weight, not, metric, on, online or min)"), "\(actual)")
    }

    @Test func onlyTheCasesAConfidenceGraderReadsAskForLogprobs() throws {
        let fixture = try SuiteFixture(["suites/x.yaml": """
            suite: s
            models: {catalog: models.yaml, only: [gpt]}
            tasks:
              - id: plain
                prompt: hi
                graders: [{type: length, max: 9}]
                cases: [{id: one}, {id: two, graders: [{type: confidence, min: 0.5}]}]
              - id: sure
                prompt: hi
                graders: [{type: confidence, min: 0.5}]
                cases: [{id: one}]
            """], catalog: Self.catalog)
        let loaded = try fixture.load("suites/x.yaml")
        let plan = RunPlan(suite: loaded.suite, models: loaded.models)
        let asked = plan.items.map { plan.chatRequest(for: $0).logprobs }
        #expect(asked == [false, true, true])
    }
}
