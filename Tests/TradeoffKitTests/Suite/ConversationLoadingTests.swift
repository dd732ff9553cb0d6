import Foundation
import Testing
@testable import TradeoffKit

/// Conversations (`messages:` of tasks, cases and dataset rows) and per-model wording
/// (`overrides:`): what loads, and every problem pinned with its location.
struct ConversationLoadingTests {
    private func errors(_ suite: String, files: [String: String] = [:]) throws -> String {
        var files = files
        files["suites/x.yaml"] = suite
        return try SuiteFixture(files).errors()
    }

    private func load(_ suite: String, files: [String: String] = [:]) throws -> Suite {
        var files = files
        files["suites/x.yaml"] = suite
        return try SuiteFixture(files).load().suite
    }

    @Test func taskAndCaseTurnsComeBeforeThePromptFilledFromTheCase() throws {
        let suite = try load("""
            suite: s
            models: models.yaml
            tasks:
              - id: support
                system: You are {{company}}'s agent.
                messages:
                  - {role: user, content: "Hi, I'm {{name}}."}
                  - {role: assistant, content: "Hello {{name}}, how can I help?"}
                prompt: "{{question}}"
                graders: [{type: contains, value: refund}]
                cases:
                  - vars: {company: Acme, name: Ana, question: Can I get a refund?}
                  - vars: {company: Acme, name: Bo, question: "Still there?"}
                    messages:
                      - {role: user, content: "My order is late."}
                      - {role: assistant, content: "Sorry about that."}
            """)
        let task = try #require(suite.tasks.first)
        let first = task.conversation(for: task.cases[0], modelID: nil)
        #expect(first == [ChatMessage(role: .system, content: "You are Acme's agent."),
                          ChatMessage(role: .user, content: "Hi, I'm Ana."),
                          ChatMessage(role: .assistant, content: "Hello Ana, how can I help?"),
                          ChatMessage(role: .user, content: "Can I get a refund?")])
        let second = task.conversation(for: task.cases[1], modelID: nil)
        #expect(second.map(\.role) == [.system, .user, .assistant, .user, .assistant, .user])
        #expect(second[3].content == "My order is late.")
        #expect(second.last?.content == "Still there?")
    }

    @Test func aJSONLRowCarriesItsConversationSentAsWritten() throws {
        let rows = #"""
            {"id": "a", "conversation": [{"role": "user", "content": "Compute: 1 + {{x}}"}, {"role": "assistant", "content": "?"}, {"role": "user", "content": "Compute: 2 + 2"}], "answer": "4"}
            {"id": "b", "conversation": [{"role": "system", "content": "Terse."}, {"role": "user", "content": "Compute: 3 * 3"}], "answer": "9"}
            """#
        let suite = try load("""
            suite: s
            models: models.yaml
            tasks:
              - id: chat
                dataset: rows.jsonl
                messages_field: conversation
                graders: [{type: exact, expected: "{{answer}}"}]
            """, files: ["suites/rows.jsonl": rows])
        let task = try #require(suite.tasks.first)
        let first = task.cases[0]
        #expect(first.variables == ["answer": "4"])
        #expect(task.conversation(for: first, modelID: nil).map(\.content) == ["Compute: 1 + {{x}}", "?", "Compute: 2 + 2"])
        #expect(task.conversation(for: task.cases[1], modelID: nil).map(\.role) == [.system, .user])
        #expect(task.prompt == nil)
    }

    @Test func overridesGiveAModelItsOwnWording() throws {
        let suite = try load("""
            suite: s
            models: models.yaml
            tasks:
              - id: t
                system: Answer briefly.
                prompt: "Q: {{q}}"
                overrides:
                  llama-3.3-70b: {system: "Answer with one word only.", prompt: "Question: {{q}}\\nAnswer:"}
                cases: [{vars: {q: one}, graders: [{type: exact, expected: one}]}]
            """)
        let task = try #require(suite.tasks.first)
        #expect(task.conversation(for: task.cases[0], modelID: "gpt-4o").map(\.content) == ["Answer briefly.", "Q: one"])
        #expect(task.conversation(for: task.cases[0], modelID: "llama-3.3-70b").map(\.content)
                == ["Answer with one word only.", "Question: one\nAnswer:"])
        #expect(suite.contextTasks(models: ["gpt-4o", "llama-3.3-70b"]).first?.ownWording == ["llama-3.3-70b"])
        #expect(suite.contextTasks(models: ["gpt-4o"]).first?.ownWording == nil)
    }

    @Test(arguments: [
        // An unknown role, with a suggestion.
        ("""
         suite: s
         models: models.yaml
         tasks:
           - id: t
             messages:
               - {role: usr, content: "Q: {{q}}"}
             cases: [{vars: {q: one}, graders: [{type: exact, expected: one}]}]
         """, """
         suites/x.yaml:6:16: error: unknown role 'usr'; a turn's role is system, user or assistant (did you mean 'user'?)
               - {role: usr, content: "Q: {{q}}"}
                        ^
         """),
        // An empty list.
        ("""
         suite: s
         models: models.yaml
         tasks:
           - id: t
             messages: []
             prompt: x
             cases: [{graders: [{type: exact, expected: one}]}]
         """, """
         suites/x.yaml:5:15: error: 'messages' is an empty list; give at least one turn (a list of turns like [{role: user, content: "..."}]), or leave it out
             messages: []
                       ^
         """),
        // The conversation ends with the model's turn and no prompt follows.
        ("""
         suite: s
         models: models.yaml
         tasks:
           - id: t
             messages:
               - {role: user, content: Hi}
               - {role: assistant, content: Hello}
             cases: [{id: c1, graders: [{type: exact, expected: one}]}]
         """, """
         suites/x.yaml:6:7: error: the conversation of task 't' ends with a 'assistant' turn, but a model answers the last 'user' turn; end it with a user turn, or give the task a 'prompt:' (sent as the final user turn)
               - {role: user, content: Hi}
               ^
         """),
        // Content that is not a string.
        ("""
         suite: s
         models: models.yaml
         tasks:
           - id: t
             prompt: x
             cases:
               - graders: [{type: exact, expected: one}]
                 messages:
                   - {role: user, content: [a, b]}
         """, """
         suites/x.yaml:9:36: error: a content part is {text: "..."} or {image: path}, got 'a'
                   - {role: user, content: [a, b]}
                                            ^
         suites/x.yaml:9:39: error: a content part is {text: "..."} or {image: path}, got 'b'
                   - {role: user, content: [a, b]}
                                               ^
         """),
        // A system turn after the others.
        ("""
         suite: s
         models: models.yaml
         tasks:
           - id: t
             prompt: x
             cases:
               - id: c1
                 graders: [{type: exact, expected: one}]
                 messages:
                   - {role: user, content: Hi}
                   - {role: system, content: Be brief.}
         """, """
         suites/x.yaml:10:11: error: the conversation of case 'c1' has a 'system' turn after a user or assistant turn; put system turns first (or in the task's 'system:'), since providers take the system prompt apart from the turns
                   - {role: user, content: Hi}
                   ^
         """),
        // Neither a prompt nor turns anywhere: the task lacks its prompt.
        ("""
         suite: s
         models: models.yaml
         tasks:
           - id: t
             cases: [{id: c1, graders: [{type: exact, expected: one}]}]
         """, """
         suites/x.yaml:4:5: error: missing required key 'prompt' in task
           - id: t
             ^
         """),
        // An override naming a model the catalog does not have.
        ("""
         suite: s
         models: models.yaml
         tasks:
           - id: t
             prompt: x
             overrides:
               gpt4o: {prompt: y}
             cases: [{graders: [{type: exact, expected: one}]}]
         """, """
         suites/x.yaml:7:7: error: unknown model 'gpt4o' in 'overrides' of task 't' (did you mean 'gpt-4o'?); an override names a model of the catalog
               gpt4o: {prompt: y}
               ^
         """),
    ])
    func problemsAreLocated(suite: String, expected: String) throws {
        #expect(try errors(suite) == expected)
    }

    @Test(arguments: [
        (#"{"id": "a", "messages": "hello"}"#,
         #"suites/rows.jsonl:1:25: error: field 'messages' must be a list of turns like [{"role": "user", "content": "..."}], got 'hello'"#),
        (#"{"id": "a", "messages": [{"role": "bot", "content": "hi"}]}"#,
         "suites/rows.jsonl:1:35: error: unknown role 'bot'; a turn's role is system, user or assistant"),
        (#"{"id": "a", "messages": [{"role": "user", "content": 42}]}"#,
         "suites/rows.jsonl:1:54: error: 'content' of turn 1 of 'messages' must be a string, got 42"),
        (#"{"id": "a", "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}"#,
         "suites/rows.jsonl:1:1: error: the conversation of case 'a' ends with a 'assistant' turn, but a model answers the last 'user' turn; end it with a user turn, or give the task a 'prompt:' (sent as the final user turn)"),
        (#"{"id": "a", "q": "x"}"#, "suites/x.yaml:4:5: error: missing required key 'prompt' in task"),
    ])
    func badDatasetRowsAreNamedAtTheirLine(row: String, expected: String) throws {
        let rendered = try errors("""
            suite: s
            models: models.yaml
            tasks:
              - id: t
                dataset: rows.jsonl
                graders: [{type: contains, value: x}]
            """, files: ["suites/rows.jsonl": row + "\n"])
        #expect(rendered.components(separatedBy: "\n").first == expected)
    }

    @Test func aRowWithoutTheNamedFieldIsShownOnce() throws {
        let rendered = try errors("""
            suite: s
            models: models.yaml
            tasks:
              - id: t
                dataset: rows.jsonl
                messages_field: turns
                graders: [{type: contains, value: x}]
            """, files: ["suites/rows.jsonl": #"{"id": "a", "turns": [{"role": "user", "content": "hi"}]}"# + "\n"
                         + #"{"id": "b"}"# + "\n" + #"{"id": "c"}"# + "\n"])
        #expect(rendered == """
            suites/rows.jsonl:2:1: error: this row has no 'turns' field and task 't' has no 'prompt'; give the row its conversation in 'turns', or the task a 'prompt:' (the first such row is shown)
            {"id": "b"}
            ^
            """)
    }

    @Test func messagesFieldNeedsAJSONLDataset() throws {
        let rendered = try errors("""
            suite: s
            models: models.yaml
            tasks:
              - id: t
                prompt: "{{q}}"
                dataset: rows.csv
                messages_field: turns
                graders: [{type: contains, value: x}]
            """, files: ["suites/rows.csv": "q\nhello\n"])
        #expect(rendered.hasPrefix("suites/x.yaml:7:21: error: 'messages_field' needs a JSONL dataset"))
    }
}
