import Foundation
import Testing
@testable import TradeoffKit

/// Prompt variants (`prompts:`) and the suite's `reference_prompt:`: what loads, what each
/// variant sends, and every problem pinned with its location.
struct PromptVariantLoadingTests {
    private func errors(_ suite: String) throws -> String {
        try SuiteFixture(["suites/x.yaml": suite]).errors()
    }

    private func load(_ suite: String) throws -> Suite {
        try SuiteFixture(["suites/x.yaml": suite]).load().suite
    }

    @Test func eachVariantSendsItsOwnWordingAndAPlainTaskKeepsItsOne() throws {
        let suite = try load("""
            suite: s
            models: models.yaml
            reference: gpt-4o
            reference_prompt: verbose
            tasks:
              - id: classify
                system: You triage tickets.
                prompts:
                  - {id: terse, prompt: "Label: {{ticket}}"}
                  - id: verbose
                    system: You are a careful support agent.
                    prompt: "Read the ticket and answer with one label.\\nTicket: {{ticket}}"
                graders: [{type: exact, expected: bug}]
                cases: [{vars: {ticket: App crashes}}]
              - id: plain
                prompt: "Say {{word}}"
                graders: [{type: exact, expected: hi}]
                cases: [{vars: {word: hi}}]
            """)
        #expect(suite.variants == ["terse", "verbose"])
        #expect(suite.reference == "gpt-4o · verbose")
        let task = try #require(suite.tasks.first)
        #expect(task.prompt == nil)
        #expect(task.conversation(for: task.cases[0], modelID: nil, variant: "terse")
            == [ChatMessage(role: .system, content: "You triage tickets."), ChatMessage(role: .user, content: "Label: App crashes")])
        #expect(task.conversation(for: task.cases[0], modelID: nil, variant: "verbose")
            == [ChatMessage(role: .system, content: "You are a careful support agent."),
                ChatMessage(role: .user, content: "Read the ticket and answer with one label.\nTicket: App crashes")])
        // A task without `prompts:` is asked in its one wording under every variant.
        let plain = suite.tasks[1]
        #expect(plain.conversation(for: plain.cases[0], modelID: nil, variant: "terse")
            == plain.conversation(for: plain.cases[0], modelID: nil, variant: "verbose"))
        // The plan asks every case in every variant, and says so.
        let plan = RunPlan(suite: suite, models: [ModelEntry(id: "m", baseURL: "http://127.0.0.1:1/v1", model: "m",
                                                             modelClass: .open, price: nil, apiKeyEnv: nil)])
        #expect(plan.items.count == 4)
        #expect(plan.items.map { plan.variant(of: $0) } == ["terse", "verbose", "terse", "verbose"])
        #expect(plan.summary == "2 cases × 2 prompt variants × 1 model = 4 calls")
    }

    @Test func withoutReferencePromptTheReferenceIsAskedInTheFirstVariant() throws {
        let suite = try load("""
            suite: s
            models: models.yaml
            reference: gpt-4o
            tasks:
              - id: t
                prompts: [{id: a, prompt: "x {{v}}"}, {id: b, prompt: "y {{v}}"}]
                graders: [{type: exact, expected: one}]
                cases: [{vars: {v: "1"}}]
            """)
        #expect(suite.reference == "gpt-4o · a")
        #expect(suite.contextTasks.count == 1)
        #expect(suite.context(reference: suite.reference, margin: 0.05, gates: [], volume: nil, models: ["gpt-4o"]).variants
            == ["a", "b"])
    }

    @Test func aSuiteWithoutVariantsKeepsItsContextAsBefore() throws {
        let suite = try load("""
            suite: s
            models: models.yaml
            reference: gpt-4o
            tasks:
              - {id: t, prompt: "x", graders: [{type: exact, expected: one}], cases: [{id: c1}]}
            """)
        #expect(suite.variants.isEmpty)
        #expect(suite.reference == "gpt-4o")
        let context = suite.context(reference: "gpt-4o", margin: 0.05, gates: [], volume: nil, models: ["gpt-4o"])
        #expect(context.variants == nil)
        #expect(!context.json.contains("variants"))
    }

    @Test(arguments: [
        // Both `prompt` and `prompts`.
        ("""
         suite: s
         models: models.yaml
         tasks:
           - id: t
             prompt: x
             prompts: [{id: a, prompt: y}]
             cases: [{graders: [{type: exact, expected: one}]}]
         """, """
         suites/x.yaml:6:14: error: task 't' has both 'prompt' and 'prompts'; give one (each variant of 'prompts' has its own prompt)
             prompts: [{id: a, prompt: y}]
                      ^
         """),
        // A variant id given twice.
        ("""
         suite: s
         models: models.yaml
         tasks:
           - id: t
             prompts:
               - {id: a, prompt: x}
               - {id: a, prompt: y}
             cases: [{graders: [{type: exact, expected: one}]}]
         """, """
         suites/x.yaml:7:14: error: duplicate prompt variant id 'a' in task 't' (first at line 6); give each variant its own id
               - {id: a, prompt: y}
                      ^
         """),
        // An empty prompt.
        ("""
         suite: s
         models: models.yaml
         tasks:
           - id: t
             prompts:
               - {id: a, prompt: "  "}
             cases: [{graders: [{type: exact, expected: one}]}]
         """, """
         suites/x.yaml:6:25: error: prompt variant 'a' of task 't' has an empty prompt; give it the wording to send
               - {id: a, prompt: "  "}
                                 ^
         """),
        // An empty list.
        ("""
         suite: s
         models: models.yaml
         tasks:
           - id: t
             prompts: []
             cases: [{graders: [{type: exact, expected: one}]}]
         """, """
         suites/x.yaml:5:14: error: 'prompts' of task 't' must list at least one variant ({id, prompt})
             prompts: []
                      ^
         """),
        // Tasks listing different variants.
        ("""
         suite: s
         models: models.yaml
         tasks:
           - id: t
             prompts: [{id: a, prompt: x}, {id: b, prompt: y}]
             cases: [{graders: [{type: exact, expected: one}]}]
           - id: u
             prompts: [{id: a, prompt: x}, {id: c, prompt: y}]
             cases: [{graders: [{type: exact, expected: one}]}]
         """, """
         suites/x.yaml:8:14: error: task 'u' lists prompt variants a, c but task 't' lists a, b; every task with 'prompts:' lists the same ids in the same order (each variant is compared over the whole suite)
             prompts: [{id: a, prompt: x}, {id: c, prompt: y}]
                      ^
         """),
        // A reference variant that does not exist.
        ("""
         suite: s
         models: models.yaml
         reference: gpt-4o
         reference_prompt: tersee
         tasks:
           - id: t
             prompts: [{id: terse, prompt: x}, {id: long, prompt: y}]
             cases: [{graders: [{type: exact, expected: one}]}]
         """, """
         suites/x.yaml:4:19: error: unknown prompt variant 'tersee' in 'reference_prompt' (did you mean 'terse'?); the variants are terse, long
         reference_prompt: tersee
                           ^
         """),
        // A reference variant without variants.
        ("""
         suite: s
         models: models.yaml
         reference: gpt-4o
         reference_prompt: terse
         tasks:
           - {id: t, prompt: x, cases: [{graders: [{type: exact, expected: one}]}]}
         """, """
         suites/x.yaml:4:19: error: 'reference_prompt' names a prompt variant, but no task lists 'prompts:'; remove it or give a task its variants
         reference_prompt: terse
                           ^
         """),
    ])
    func problemsAreLocated(suite: String, expected: String) throws {
        let actual = try errors(suite)
        #expect(actual == expected, "\(actual)")
    }
}
