import Foundation
import Testing
@testable import TradeoffKit

/// Every problem with `volume:`, `online:` and `cascades:`, pinned with its exact rendering, as
/// `validate` prints it.
struct RoutingDiagnosticsTests {
    private func validate(_ suite: String) throws -> String {
        let fixture = try SuiteFixture(["suites/x.yaml": suite], catalog: ToolDiagnosticsTests.catalog)
        return fixture.validate("suites/x.yaml")
    }

    @Test func onlineGradersNeedNoReferenceAnswer() throws {
        let actual = try validate("""
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o, local]}
            tasks:
              - id: t
                prompt: hi
                graders:
                  - {type: exact, expected: yes, online: true}
                  - {type: contains, value: "{{label}}", online: true}
                  - {type: regex, pattern: '(?<n>[0-9]+)', online: true}
                  - {type: length, on: n, max: 3, online: true}
                  - {type: json-valid, online: maybe}
                cases: [{id: one, vars: {label: a}}]
            """)
        #expect(actual == """
            suites/x.yaml:7:46: error: 'online: true' on a grader of type 'exact', which compares the answer with a reference answer; a check in production sees only the answer (json-valid, json-schema, length, regex, contains/not-contains with fixed text, a command, a judge without a reference, confidence, not-refusal)
                  - {type: exact, expected: yes, online: true}
                                                         ^
            suites/x.yaml:8:54: error: 'online: true' on a grader that reads '{{label}}' from each case, which production traffic does not have; a check in production sees only the answer (json-valid, json-schema, length, regex, contains/not-contains with fixed text, a command, a judge without a reference, confidence, not-refusal)
                  - {type: contains, value: "{{label}}", online: true}
                                                                 ^
            suites/x.yaml:11:36: error: 'online' must be true or false, got 'maybe'
                  - {type: json-valid, online: maybe}
                                               ^
            """)
    }

    @Test func volumesAreOneFormForEveryTask() throws {
        let actual = try validate("""
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o, local]}
            tasks:
              - id: a
                prompt: hi
                volume: 40 percent
                graders: [{type: length, max: 3}]
                cases: [{id: one}]
              - id: b
                prompt: hi
                volume: 30%
                graders: [{type: length, max: 3}]
                cases: [{id: one}]
              - id: c
                prompt: hi
                volume: 2M/month
                graders: [{type: length, max: 3}]
                cases: [{id: one}]
              - id: d
                prompt: hi
                graders: [{type: length, max: 3}]
                cases: [{id: one}]
            """)
        #expect(actual == """
            suites/x.yaml:6:13: error: 'volume' must be a share like '40%', a weight like '3' or a monthly volume like '500k/month', got '40 percent'
                volume: 40 percent
                        ^
            suites/x.yaml:16:13: error: 'volume' is a monthly volume here but a share at line 11; write every task's volume the same way
                volume: 2M/month
                        ^
            suites/x.yaml:19:5: error: task 'd' has no 'volume', but task volumes weigh the tasks against each other: give every task one (like '25%') or none
              - id: d
                ^
            """)
    }

    @Test func cascadesNameModelsAndOnlineChecks() throws {
        let actual = try validate("""
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o, local]}
            tasks:
              - id: t
                prompt: hi
                graders: [{type: json-valid, metric: structure, online: true}]
                cases: [{id: one}]
            cascades:
              - models: [local, gpt-4o]
                escalate_when: [structur]
              - models: [local]
              - models: [local, gpt4o, local]
                escalate_when: []
              - {models: [local, gpt-4o], when: x}
            """)
        #expect(actual == """
            suites/x.yaml:10:21: error: no grader marked 'online: true' has the metric or type 'structur' (did you mean 'structure'?)
                escalate_when: [structur]
                                ^
            suites/x.yaml:11:13: error: a cascade needs at least two models, cheapest first, like [llama-3.3-70b, claude-sonnet-4.5]
              - models: [local]
                        ^
            suites/x.yaml:12:21: error: unknown model 'gpt4o' in cascade (did you mean 'gpt-4o'?); a cascade tries models of the suite
              - models: [local, gpt4o, local]
                                ^
            suites/x.yaml:12:28: error: model 'local' is listed twice in the cascade
              - models: [local, gpt4o, local]
                                       ^
            suites/x.yaml:13:20: error: 'escalate_when' must name at least one online check (a metric or grader type), or be left out to escalate on every online grader
                escalate_when: []
                               ^
            suites/x.yaml:14:31: error: unknown key 'when' in cascade (expected models or escalate_when)
              - {models: [local, gpt-4o], when: x}
                                          ^
            """)
    }

    @Test func aCascadeInASuiteOfPromptVariantsMayNameArms() throws {
        let actual = try validate("""
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o, local]}
            tasks:
              - id: t
                prompts: [{id: terse, prompt: hi}, {id: full, prompt: hello}]
                graders: [{type: json-valid, online: true}]
                cases: [{id: one}]
            cascades:
              - models: [local · terse, gpt-4o]
              - models: [local · trse, gpt-4o · full]
              - models: [lokal · terse, gpt-4o]
            """)
        // The first cascade, an arm then a model, is valid.
        #expect(actual == """
            suites/x.yaml:10:14: error: unknown arm 'local · trse' in cascade (did you mean 'local · terse'?); an arm is 'model · variant' with a variant of terse, full
              - models: [local · trse, gpt-4o · full]
                         ^
            suites/x.yaml:11:14: error: unknown arm 'lokal · terse' in cascade: the suite has no model 'lokal' (did you mean 'local · terse'?); a cascade tries models of the suite, or their arms 'model · variant'
              - models: [lokal · terse, gpt-4o]
                         ^
            """)
    }

    @Test func aCascadeWithoutOnlineGradersHasNothingToEscalateOn() throws {
        let actual = try validate("""
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o, local]}
            tasks:
              - id: t
                prompt: hi
                graders: [{type: json-valid}]
                cases: [{id: one}]
            cascades:
              - models: [local, gpt-4o]
            """)
        #expect(actual == """
            suites/x.yaml:9:5: error: this cascade has nothing to escalate on: mark the graders a production check could run 'online: true' (json-valid, json-schema, length, regex, a command, a judge without a reference, confidence, not-refusal)
              - models: [local, gpt-4o]
                ^
            """)
    }

    @Test func aValidSuiteKeepsItsRoutingKeys() throws {
        let fixture = try SuiteFixture(["suites/x.yaml": """
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o, local]}
            tasks:
              - id: a
                prompt: hi
                volume: 3
                graders: [{type: json-valid, metric: structure, online: true}, {type: exact, expected: "{}"}]
                cases: [{id: one}]
              - id: b
                prompt: hi
                volume: 1
                graders: [{type: length, max: 3, online: true}]
                cases: [{id: one}]
            cascades:
              - models: [local, gpt-4o]
                escalate_when: [structure]
            """], catalog: ToolDiagnosticsTests.catalog)
        let suite = try fixture.load("suites/x.yaml").suite
        #expect(suite.tasks.map(\.volume) == ["3", "1"])
        #expect(suite.tasks[0].graders.map(\.online) == [true, false])
        #expect(suite.cascades == [CascadeSpec(models: ["local", "gpt-4o"], escalateWhen: ["structure"])])
        let context = suite.context(reference: nil, margin: 0.05, gates: [], volume: nil, models: ["gpt-4o", "local"])
        #expect(context.cascades == suite.cascades)
        #expect(TaskVolume.weights(context.tasks.map(\.volume)) == [0.75, 0.25])
        #expect(RunContext(json: context.json) == context)
        // Before any run, plan says what its portfolio line needs.
        let forecast = try PortfolioForecast(suite: suite, store: nil, databasePath: "results/s.sqlite")
        #expect(forecast.lines == ["portfolio: no earlier run of 's' in results/s.sqlite; after one run, plan shows what "
                                   + "sending each task to its recommended model would cost at the tasks' stated volume "
                                   + "(volume: 500k/month)"])
        #expect(forecast.monthlyCostMicros == nil)
    }
}
