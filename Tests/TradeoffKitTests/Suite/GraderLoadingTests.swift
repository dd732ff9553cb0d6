import Foundation
import Testing
@testable import TradeoffKit

/// Every grader type decodes from YAML to the spec it says.
struct GraderLoadingTests {
    static let suite = #"""
        suite: every-grader
        models: {catalog: models.yaml, only: [llama-3.3-70b]}
        tasks:
          - id: t
            prompt: "Q: {{q}}"
            graders:
              - {type: exact, expected: "{{label}}", normalize: [nfkc, trim], ignore_case: true}
              - {type: contains, value: "{{label}}", normalize: [strip-punctuation], metric: accuracy}
              - {type: not-contains, value: sorry, ignore_case: true, weight: 0.5}
              - {type: contains-any, values: [yes, "{{label}}"]}
              - {type: contains-all, values: one}
              - {type: starts-with, value: Dear, not: true}
              - {type: regex, pattern: 'Total: (?<total>[\d.,]+)', flags: ms, normalize: [strip-code-fences]}
              - {type: numeric, expected: "{{amount}}", tolerance: 0.01, relative_tolerance: 0.001, on: total}
              - {type: one-of, labels: [billing, bug, "{{label}}"], expected: "{{label}}", ignore_case: true}
              - {type: length, max: 12, unit: words}
              - {type: choice, expected: b, options: [a, b, c]}
              - {type: json-valid, extract: json}
              - {type: json-schema, schema: {type: object, required: [name], properties: {age: {type: integer, minimum: 0}}}}
              - {type: json-schema, schema_file: schemas/person.json, extract: json}
              - {type: json-path, path: "$.age", equals: "{{age}}"}
              - {type: json-path, path: "tags[0]", contains: vip}
              - {type: json-path, path: "$.id"}
              - {type: similarity, expected: "{{label}}", threshold: 0.9, ignore_case: true}
              - {type: rouge-l, references: [a b, c d]}
              - {type: bleu, expected: the cat, threshold: 0.3}
              - {type: judge, rubric_file: rubric.md, models: [gpt-4o], scale: [1, 5], threshold: 0.75, reference: "{{label}}", max_tokens: 300, metric: quality}
              - {type: judge, rubric: "Polite?", model: gpt-4o, scale: 0-10, template: "A: {{answer}} {{verdict_format}} {{q}}"}
              - {type: command, command: [sh, graders/check.sh], timeout: 5, expected: "{{label}}"}
              - {type: tool-call, name: "{{label}}", path: $.age, equals: "{{age}}"}
              - {type: no-tool-call}
              - {type: tool-call-count, name: lookup, min: 1, max: 2}
              - {type: confidence, min: 0.8, online: true}
              - {type: not-refusal, patterns: ["je ne peux pas"], online: true}
            cases:
              - {id: one, vars: {q: x, label: billing, amount: "12.5", age: "31"}}
        """#

    @Test func everyTypeLoads() throws {
        let fixture = try SuiteFixture([
            "suites/x.yaml": Self.suite,
            "suites/rubric.md": "Is the label {{label}} right for {{q}}?\n",
            "suites/schemas/person.json": #"{"type": "object", "properties": {"name": {"type": "string", "maxLength": 40}}}"#,
            "suites/graders/check.sh": "cat >/dev/null; echo '{\"score\": 1}'\n",
        ])
        let loaded = try fixture.load()
        let graders = loaded.suite.tasks[0].graders
        #expect(graders.map(\.typeName) == ["exact", "contains", "not-contains", "contains-any", "contains-all",
                                             "starts-with", "regex", "numeric", "one-of", "length", "choice", "json-valid",
                                             "json-schema", "json-schema", "json-path", "json-path", "json-path",
                                             "similarity", "rouge-l", "bleu", "judge", "judge", "command",
                                             "tool-call", "no-tool-call", "tool-call-count", "confidence", "not-refusal"])
        #expect(graders[26].kind == .confidence(min: 0.8) && graders[26].online && graders[26].readsLogprobs)
        #expect(graders[27].kind == .notRefusal(patterns: ["je ne peux pas"]) && graders[27].online && !graders[27].readsLogprobs)
        #expect(Set(graders.map(\.typeName)) == Set(GraderSpec.typeNames))
        #expect(graders[0] == GraderSpec(.exact(expected: Template("{{label}}"), normalize: [.nfkc, .trim, .lowercase])))
        #expect(graders[1] == GraderSpec(.contains(value: Template("{{label}}"), ignoreCase: false, normalize: [.stripPunctuation]),
                                         metric: "accuracy"))
        #expect(graders[2] == GraderSpec(.notContains(value: Template("sorry"), ignoreCase: true), weight: 0.5))
        #expect(graders[3].kind == .containsAny(values: [Template("yes"), Template("{{label}}")], ignoreCase: false))
        #expect(graders[4].kind == .containsAll(values: [Template("one")], ignoreCase: false))
        #expect(graders[5] == GraderSpec(.startsWith(value: Template("Dear"), ignoreCase: false), negated: true))
        #expect(graders[6].kind == .regex(pattern: #"Total: (?<total>[\d.,]+)"#, ignoreCase: false,
                                          flags: [.multiline, .dotMatchesLineSeparators], normalize: [.stripCodeFences]))
        #expect(graders[7] == GraderSpec(.numeric(expected: Template("{{amount}}"), tolerance: 0.01, relativeTolerance: 0.001),
                                         input: "total"))
        #expect(graders[8].kind == .oneOf(labels: [Template("billing"), Template("bug"), Template("{{label}}")],
                                          expected: Template("{{label}}"), ignoreCase: true))
        #expect(graders[9].kind == .length(min: nil, max: 12, unit: .words))
        #expect(graders[10].kind == .choice(expected: Template("b"), options: ["A", "B", "C"]))
        #expect(graders[11] == GraderSpec(.jsonValid, extractJSON: true))
        #expect(graders[12].kind == .jsonSchema(.rules({
            var age = JSONSchema.Rules()
            age.types = ["integer"]
            age.minimum = 0
            var root = JSONSchema.Rules()
            root.types = ["object"]
            root.required = ["name"]
            root.properties = ["age": .rules(age)]
            return root
        }())))
        guard case .jsonSchema(let fromFile) = graders[13].kind else { Issue.record("not a schema"); return }
        #expect(fromFile.violations(of: .object(["name": .string(String(repeating: "x", count: 41))]))
                == ["$.name: 41 characters, more than 40"])
        #expect(graders[14].kind == .jsonPath(path: try JSONPath(parsing: "$.age"), check: .equals(Template("{{age}}"))))
        #expect(graders[15].kind == .jsonPath(path: try JSONPath(parsing: "tags[0]"), check: .contains(Template("vip"))))
        #expect(graders[16].kind == .jsonPath(path: try JSONPath(parsing: "$.id"), check: .exists))
        #expect(graders[17].kind == .similarity(references: [Template("{{label}}")], threshold: 0.9, ignoreCase: true))
        #expect(graders[18].kind == .rougeL(references: [Template("a b"), Template("c d")], threshold: 0.5))
        #expect(graders[19].kind == .bleu(references: [Template("the cat")], threshold: 0.3))

        let judge = try #require(graders[20].judge)
        #expect(judge.judges.map(\.id) == ["gpt-4o"])
        #expect(judge.judges[0].entry == loaded.catalog.model("gpt-4o"))
        #expect(judge.judges[0].location?.line == 27)
        #expect(judge.rubric == Template("Is the label {{label}} right for {{q}}?\n"))
        #expect(judge.scale == .range(low: 1, high: 5) && judge.threshold == 0.75 && judge.maxTokens == 300)
        #expect(judge.reference == Template("{{label}}") && judge.template == JudgePrompt.defaultTemplate)
        #expect(graders[20].metric == "quality")
        let custom = try #require(graders[21].judge)
        #expect(custom.scale == .range(low: 0, high: 10) && custom.threshold == 0.5 && custom.maxTokens == 512)
        #expect(custom.template == Template("A: {{answer}} {{verdict_format}} {{q}}"))

        guard case .command(let command) = graders[22].kind else { Issue.record("not a command"); return }
        #expect(command.argv == ["sh", "graders/check.sh"])
        #expect(command.workingDirectory == URL(fileURLWithPath: fixture.path("suites")).standardizedFileURL.path)
        #expect(command.timeout == 5 && command.expected == Template("{{label}}"))
        // The catalog's key variables never reach a command.
        #expect(command.hiddenEnvironment == ["OPENAI_API_KEY"])

        #expect(loaded.suite.judgeModels.map(\.id) == ["gpt-4o"])
        #expect(SuiteLoader().judgeWarnings(for: loaded.suite, candidates: loaded.models).isEmpty)
        let warnings = SuiteLoader().judgeWarnings(for: loaded.suite, candidates: [loaded.catalog.model("gpt-4o")!])
        #expect(fixture.render(warnings) == """
            suites/x.yaml:27:56: warning: judge model 'gpt-4o' is also a candidate: it will grade its own answers, which judges tend to favour; use a judge that is not a candidate, or read its grades of itself with care
                  - {type: judge, rubric_file: rubric.md, models: [gpt-4o], scale: [1, 5], threshold: 0.75, reference: "{{label}}", max_tokens: 300, metric: quality}
                                                                   ^
            suites/x.yaml:28:49: warning: judge model 'gpt-4o' is also a candidate: it will grade its own answers, which judges tend to favour; use a judge that is not a candidate, or read its grades of itself with care
                  - {type: judge, rubric: "Polite?", model: gpt-4o, scale: 0-10, template: "A: {{answer}} {{verdict_format}} {{q}}"}
                                                            ^
            """)
    }
}
