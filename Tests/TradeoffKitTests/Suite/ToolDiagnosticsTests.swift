import Foundation
import Testing
@testable import TradeoffKit

/// Every problem with `tools:`, `tool_choice:`, `response_format:`, the tool graders and the
/// catalog's `structured_output:`, pinned with its exact rendering, as `validate` prints it.
struct ToolDiagnosticsTests {
    static let catalog = """
        models:
          - id: gpt-4o
            base_url: https://api.openai.com/v1
            provider: openai
            model: gpt-4o
            class: frontier
          - id: local
            base_url: http://localhost:8000/v1
            model: m
            class: open
          - id: vllm
            preset: vllm
            model: m
            class: open
          - id: ollama
            preset: ollama
            model: m
            class: open
            structured_output: none

        """

    private func validate(_ suite: String, catalog: String = ToolDiagnosticsTests.catalog) throws -> String {
        let fixture = try SuiteFixture(["suites/x.yaml": suite], catalog: catalog)
        return fixture.validate("suites/x.yaml")
    }

    @Test func taskKeysAndToolGraders() throws {
        let actual = try validate("""
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o]}
            tasks:
              - id: t
                prompt: hi
                tools:
                  - name: get weather
                  - {name: lookup, parameters: {type: array}}
                  - {name: ok}
                  - {name: ok, colour: red}
                tool_choice: lookupp
                response_format: {name: answer, schema: [1]}
                graders:
                  - {type: tool-call, name: ok, schema: {type: object}, path: $.a}
                  - {type: tool-call, equals: x}
                  - {type: tool-call, arguments: [1, 2]}
                  - {type: tool-call-count}
                  - {type: tool-call-count, min: 3, max: 1}
                  - {type: no-tool-call, name: "{{tool}}"}
                  - {type: tool-call, path: "a..b"}
                  - {type: tool-cal}
                cases: [{id: one}]
              - id: u
                prompt: hi
                tool_choice: required
                response_format: {name: answer}
                graders: [{type: tool-call}]
                cases: [{id: one}]
            """)
        #expect(actual == """
            suites/x.yaml:7:15: error: 'name' must be 1 to 64 letters, digits, '_' or '-' (what every provider accepts), got 'get weather'
                  - name: get weather
                          ^
            suites/x.yaml:8:36: error: 'parameters' must describe an object (add 'type: object'): providers take only objects as arguments and structured answers
                  - {name: lookup, parameters: {type: array}}
                                               ^
            suites/x.yaml:10:16: error: duplicate tool name 'ok' (first at line 9)
                  - {name: ok, colour: red}
                           ^
            suites/x.yaml:10:20: error: unknown key 'colour' in tool (expected name, description or parameters)
                  - {name: ok, colour: red}
                               ^
            suites/x.yaml:11:18: error: 'tool_choice' must be auto, none, required or the name of one of the task's tools ('ok'), got 'lookupp'
                tool_choice: lookupp
                             ^
            suites/x.yaml:12:45: error: 'schema' must be a JSON Schema mapping like {type: object, properties: {...}}, got a list
                response_format: {name: answer, schema: [1]}
                                                        ^
            suites/x.yaml:14:67: error: give one check of the arguments: 'schema' or 'path', not both
                  - {type: tool-call, name: ok, schema: {type: object}, path: $.a}
                                                                              ^
            suites/x.yaml:15:35: error: 'equals' needs 'path': the JSON path of the argument to compare (like $.city)
                  - {type: tool-call, equals: x}
                                              ^
            suites/x.yaml:16:38: error: 'arguments' must be the exact arguments as a mapping (or a JSON object), got a list
                  - {type: tool-call, arguments: [1, 2]}
                                                 ^
            suites/x.yaml:17:9: error: 'tool-call-count' grader needs 'min', 'max' or both
                  - {type: tool-call-count}
                    ^
            suites/x.yaml:18:46: error: 'max' (1) is less than 'min' (3)
                  - {type: tool-call-count, min: 3, max: 1}
                                                         ^
            suites/x.yaml:19:36: error: placeholder '{{tool}}' has no variable in 1 of 1 case (first: case 'one' at suites/x.yaml:22); the case has no variables
                  - {type: no-tool-call, name: "{{tool}}"}
                                               ^
            suites/x.yaml:20:33: error: invalid JSON path 'a..b': expected a key at character 3
                  - {type: tool-call, path: "a..b"}
                                            ^
            suites/x.yaml:21:16: error: unknown grader type 'tool-cal' (did you mean 'tool-call'?)
                  - {type: tool-cal}
                           ^
            suites/x.yaml:25:18: error: 'tool_choice: required' needs 'tools': declare the functions the model may call
                tool_choice: required
                             ^
            suites/x.yaml:26:22: error: missing required key 'schema' in 'response_format'
                response_format: {name: answer}
                                 ^
            """)
    }

    @Test func aModelThatCannotTakeAResponseFormatIsAnErrorAtTheTask() throws {
        let actual = try validate("""
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o, local, vllm, ollama]}
            tasks:
              - id: extract
                prompt: hi
                response_format:
                  name: contact
                  schema: {type: object, properties: {email: {type: string}}}
                graders: [{type: json-valid}]
                cases: [{id: one}]
            """)
        #expect(actual == """
            suites/x.yaml:7:7: error: task 'extract' has 'response_format', which 'local' and 'ollama' cannot take ('local': a generic OpenAI-compatible server may ignore it and answer in prose; 'ollama': the catalog says 'structured_output: none'); set 'structured_output: json_schema' (or 'ollama') in the catalog entry if the host supports it, or leave the model out with 'only:'
                  name: contact
                  ^
            """)
    }

    @Test func theCatalogsStructuredOutputIsChecked() throws {
        let actual = try validate("""
            suite: s
            models: models.yaml
            tasks: [{id: t, prompt: hi, graders: [{type: json-valid}], cases: [{id: one}]}]
            """, catalog: """
            models:
              - {id: a, preset: ollama, model: m, class: open, structured_output: jsonschema}
              - {id: b, provider: anthropic, model: c, class: frontier, structured_output: ollama}

            """)
        #expect(actual == """
            suites/models.yaml:2:71: error: 'structured_output' must be json_schema, ollama or none, got 'jsonschema' (did you mean 'json_schema'?)
              - {id: a, preset: ollama, model: m, class: open, structured_output: jsonschema}
                                                                                  ^
            suites/models.yaml:3:80: error: 'structured_output: ollama' applies to provider 'openai-compatible' only (an Ollama server), not 'anthropic'
              - {id: b, provider: anthropic, model: c, class: frontier, structured_output: ollama}
                                                                                           ^
            """)
    }

    @Test func aValidSuiteLoadsItsToolsIntoTheRequest() throws {
        let fixture = try SuiteFixture(["suites/x.yaml": """
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o]}
            tasks:
              - id: t
                prompt: "Weather in {{city}}?"
                tools:
                  - name: get_weather
                    description: Weather in a city.
                    parameters: {type: object, properties: {city: {type: string}}, required: [city]}
                tool_choice: get_weather
                response_format: {name: report, schema: {type: object}}
                graders:
                  - {type: tool-call, name: get_weather, path: $.city, equals: "{{city}}"}
                  - {type: tool-call, arguments: {city: "Paris"}}
                  - {type: tool-call-count, max: 1}
                  - {type: no-tool-call, name: other}
                cases: [{id: one, vars: {city: Paris}}]
            """], catalog: Self.catalog)
        let loaded = try fixture.load()
        let task = try #require(loaded.suite.tasks.first)
        #expect(task.tools.map(\.name) == ["get_weather"])
        #expect(task.toolChoice == .tool("get_weather"))
        #expect(task.responseFormat?.name == "report")
        let chat = RunPlan(suite: loaded.suite, models: loaded.models).chatRequest(for: .init(taskIndex: 0, caseIndex: 0))
        #expect(chat.tools == task.tools)
        #expect(chat.responseFormat == task.responseFormat)
        let grade = try CaseGrader(task: task, testCase: task.cases[0])
            .grade("", toolCalls: [ToolCall(name: "get_weather", arguments: #"{"city": "Paris"}"#)],
                   variables: task.cases[0].variables)
        #expect(grade.passed, "\(grade.outcomes.map(\.reason))")
    }
}
