import Foundation
import Testing
@testable import TradeoffKit

/// Every problem a suite can have, pinned with its exact rendering: file:line:column, the
/// message, the source line and the caret.
struct SuiteDiagnosticsTests {
    /// Loads `suite` as `suites/x.yaml` next to the standard catalog.
    private func errors(_ suite: String, files: [String: String] = [:], environment: [String: String] = [:]) throws -> String {
        var files = files
        files["suites/x.yaml"] = suite
        return try SuiteFixture(files, environment: environment).errors()
    }

    @Test(arguments: [
        // Syntax errors come from libyaml, at its position.
        ("""
         suite: s
         tasks:
           - id: t
             prompt: "unterminated
         """, """
         suites/x.yaml:4:26: error: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 4, column 13)
             prompt: "unterminated
                                  ^
         """),
        ("""
         suite: s
         tasks:
           - id: t
            prompt: x
         """, """
         suites/x.yaml:4:4: error: invalid YAML: did not find expected '-' indicator (while parsing a block collection at line 3, column 3)
            prompt: x
            ^
         """),
        ("""
         suite: s
         models: models.yaml
         tasks: []
         suite: again
         """, """
         suites/x.yaml:4:1: error: duplicate key 'suite' (first at line 1)
         suite: again
         ^
         """),
    ])
    func yamlSyntax(suite: String, expected: String) throws {
        let actual = try errors(suite)
        #expect(actual == expected)
    }

    @Test(arguments: [
        ("""
         suite: s
         models: models.yaml
         tasks:
           - id: t
             promt: "Q: {{q}}"
             cases: [{vars: {q: one}, graders: [{type: exact, expected: one}]}]
         """, """
         suites/x.yaml:4:5: error: missing required key 'prompt' in task
           - id: t
             ^
         suites/x.yaml:5:5: error: unknown key 'promt' in task (did you mean 'prompt'?)
             promt: "Q: {{q}}"
             ^
         """),
        ("""
         suite: s
         models: models.yaml
         task:
           - {id: t, prompt: hi}
         """, """
         suites/x.yaml:1:1: error: missing required key 'tasks' in suite
         suite: s
         ^
         suites/x.yaml:3:1: error: unknown key 'task' in suite (did you mean 'tasks'?)
         task:
         ^
         """),
        ("""
         suite: s
         models: models.yaml
         defaults: {temprature: 0, seed: 1}
         tasks:
           - id: t
             prompt: hi
             cases:
               - {vars: {}, graders: [{type: json-valid}], note: x}
         """, """
         suites/x.yaml:3:12: error: unknown key 'temprature' in 'defaults' (did you mean 'temperature'?)
         defaults: {temprature: 0, seed: 1}
                    ^
         suites/x.yaml:3:27: error: unknown key 'seed' in 'defaults' (expected temperature, max_tokens, threshold or repeats)
         defaults: {temprature: 0, seed: 1}
                                   ^
         suites/x.yaml:8:51: error: unknown key 'note' in case (expected id, vars, messages or graders)
               - {vars: {}, graders: [{type: json-valid}], note: x}
                                                           ^
         """),
        ("""
         description: no name
         tasks:
           - prompt: hi
             cases: [{graders: [{type: json-valid}]}]
         """, """
         suites/x.yaml:1:1: error: missing required key 'suite' in suite
         description: no name
         ^
         suites/x.yaml:1:1: error: missing required key 'models' in suite
         description: no name
         ^
         suites/x.yaml:3:5: error: missing required key 'id' in task
           - prompt: hi
             ^
         """),
    ])
    func unknownAndMissingKeys(suite: String, expected: String) throws {
        let actual = try errors(suite)
        #expect(actual == expected)
    }

    @Test(arguments: [
        ("max_tokens: lots", "'max_tokens' must be an integer, got 'lots'", 17),
        ("max_tokens: 2.5", "'max_tokens' must be an integer, got '2.5'", 17),
        ("max_tokens: 0", "'max_tokens' must be at least 1, got 0", 17),
        ("temperature: hot", "'temperature' must be a number, got 'hot'", 18),
        ("temperature: 3", "'temperature' must be between 0 and 2, got 3", 18),
        ("temperature: -0.1", "'temperature' must be between 0 and 2, got -0.1", 18),
        ("threshold: 1.5", "'threshold' must be between 0 and 1, got 1.5", 16),
        ("threshold: [1]", "'threshold' must be a number, got a list", 16),
        ("threshold: .nan", "'threshold' must be a number, got '.nan'", 16),
        ("system: {a: 1}", "'system' must be a string, got a mapping", 13),
        ("system: ~", "'system' must be a string, got null", 13),
        ("system:", "'system' must be a string, got nothing", 12),
        ("id: \"\"", "'id' must not be empty", 9),
    ])
    func wrongTypesAndRanges(line: String, message: String, column: Int) throws {
        let suite = """
            suite: s
            models: models.yaml
            tasks:
              - prompt: hi
                \(line)
                cases: [{graders: [{type: json-valid}]}]
            \(line.hasPrefix("id:") ? "" : "    id: t")
            """
        let caret = String(repeating: " ", count: column - 1) + "^"
        let actual = try errors(suite)
        #expect(actual == "suites/x.yaml:5:\(column): error: \(message)\n    \(line)\n\(caret)")
    }

    @Test func duplicateTaskAndCaseIDs() throws {
        let suite = """
            suite: s
            models: models.yaml
            tasks:
              - id: t
                prompt: hi
                cases:
                  - {id: a, graders: [{type: json-valid}]}
                  - {graders: [{type: json-valid}]}
                  - {id: a, graders: [{type: json-valid}]}
                  - {id: "2", graders: [{type: json-valid}]}
              - id: t
                prompt: hi
                cases: [{graders: [{type: json-valid}]}]
            """
        let actual = try errors(suite)
        #expect(actual == """
            suites/x.yaml:9:14: error: duplicate case id 'a' in task 't' (first at line 7)
                  - {id: a, graders: [{type: json-valid}]}
                         ^
            suites/x.yaml:10:14: error: duplicate case id '2' in task 't' (first at line 8)
                  - {id: "2", graders: [{type: json-valid}]}
                         ^
            suites/x.yaml:11:9: error: duplicate task id 't' (first at line 4)
              - id: t
                    ^
            """)
    }

    @Test func duplicateCaseIDsInADataset() throws {
        let suite = """
            suite: s
            models: models.yaml
            tasks:
              - id: t
                prompt: "{{q}}"
                dataset: data/q.jsonl
                graders: [{type: json-valid}]
            """
        let rows = """
            {"id": "q1", "q": "a"}
            {"id": "q2", "q": "b"}
            {"id": "q1", "q": "c"}
            """
        let actual = try errors(suite, files: ["suites/data/q.jsonl": rows])
        #expect(actual == """
            suites/data/q.jsonl:3:1: error: duplicate case id 'q1' in task 't' (first at line 1)
            {"id": "q1", "q": "c"}
            ^
            """)
    }

    @Test func unknownModelInOnly() throws {
        let suite = """
            suite: s
            models:
              catalog: models.yaml
              only: [gpt4o, llama-3.3-70b, mistral, llama-3.3-70b]
            tasks:
              - {id: t, prompt: hi, cases: [{graders: [{type: json-valid}]}]}
            """
        let actual = try errors(suite)
        #expect(actual == """
            suites/x.yaml:4:10: error: unknown model 'gpt4o' in 'only' (did you mean 'gpt-4o'?)
              only: [gpt4o, llama-3.3-70b, mistral, llama-3.3-70b]
                     ^
            suites/x.yaml:4:32: error: unknown model 'mistral' in 'only' (expected gpt-4o or llama-3.3-70b)
              only: [gpt4o, llama-3.3-70b, mistral, llama-3.3-70b]
                                           ^
            suites/x.yaml:4:41: error: model 'llama-3.3-70b' is listed twice in 'only'
              only: [gpt4o, llama-3.3-70b, mistral, llama-3.3-70b]
                                                    ^
            """)
    }

    @Test func placeholderWithoutVariableInDatasetCases() throws {
        let suite = """
            suite: s
            models: models.yaml
            tasks:
              - id: classify
                prompt: |
                  Ticket: {{ticket}}
                dataset: data/tickets.jsonl
                graders:
                  - {type: exact, expected: "{{lable}}"}
                  - {type: contains, value: "{{ticket}} {{lable}}"}
            """
        let rows = (1...24).map { #"{"id": "T\#($0)", "ticket": "t\#($0)", "label": "bug"}"# }.joined(separator: "\n")
        let actual = try errors(suite, files: ["suites/data/tickets.jsonl": rows])
        #expect(actual == """
            suites/x.yaml:9:33: error: placeholder '{{lable}}' has no variable in 24 of 24 cases (first: case 'T1' at \
            suites/data/tickets.jsonl:1); variables are: label, ticket (did you mean 'label'?)
                  - {type: exact, expected: "{{lable}}"}
                                            ^
            suites/x.yaml:10:33: error: placeholder '{{lable}}' has no variable in 24 of 24 cases (first: case 'T1' at \
            suites/data/tickets.jsonl:1); variables are: label, ticket (did you mean 'label'?)
                  - {type: contains, value: "{{ticket}} {{lable}}"}
                                            ^
            """)
    }

    @Test func placeholderWithoutVariableInSomeInlineCases() throws {
        let suite = """
            suite: s
            models: models.yaml
            tasks:
              - id: t
                system: "You answer in {{language}}."
                prompt: "{{question}}"
                cases:
                  - {id: a, vars: {question: q1, language: en}, graders: [{type: contains, value: "{{answer}}"}]}
                  - {id: b, vars: {question: q2}, graders: [{type: json-valid}]}
                  - {id: c, vars: {question: q3}, graders: [{type: json-valid}]}
            """
        let actual = try errors(suite)
        #expect(actual == """
            suites/x.yaml:5:13: error: placeholder '{{language}}' has no variable in 2 of 3 cases (first: case 'b' at \
            suites/x.yaml:9); variables are: language, question
                system: "You answer in {{language}}."
                        ^
            suites/x.yaml:8:87: error: placeholder '{{answer}}' has no variable in case 'a'; variables are: language, question
                  - {id: a, vars: {question: q1, language: en}, graders: [{type: contains, value: "{{answer}}"}]}
                                                                                                  ^
            """)
    }

    @Test func placeholderIsReportedOncePerTemplate() throws {
        let suite = """
            suite: s
            models: models.yaml
            tasks:
              - id: t
                prompt: "{{x}} and {{ x }} again"
                cases: [{graders: [{type: json-valid}]}, {graders: [{type: json-valid}]}]
            """
        let actual = try errors(suite)
        #expect(actual == """
            suites/x.yaml:5:13: error: placeholder '{{x}}' has no variable in 2 of 2 cases (first: case '1' at \
            suites/x.yaml:6); the cases have no variables
                prompt: "{{x}} and {{ x }} again"
                        ^
            """)
    }

    /// A `{{` never closed would be sent to the model as literal text: an error at the `{{`,
    /// in a quoted value, a block scalar, a grader's value and a judge's rubric file.
    @Test func unclosedPlaceholderIsAnErrorAtItsColumn() throws {
        let suite = """
            suite: s
            models: models.yaml
            tasks:
              - id: t
                prompt: "Summarize {{text"
                system: |
                  Be brief.
                  Answer in {{ language
                cases: [{vars: {text: a, language: en}}]
                graders:
                  - {type: exact, expected: "{{text}} {{"}
                  - {type: judge, rubric_file: rubric.md, model: llama-3.3-70b}
            """
        let actual = try errors(suite, files: ["suites/rubric.md": "Grade it.\nIt should say {{text}, briefly.\n"])
        #expect(actual == """
            suites/x.yaml:5:24: error: placeholder '{{text' is never closed (write '{{text}}')
                prompt: "Summarize {{text"
                                   ^
            suites/x.yaml:8:17: error: placeholder '{{ language' is never closed (write '{{language}}')
                  Answer in {{ language
                            ^
            suites/x.yaml:11:43: error: '{{' opens a placeholder that is never closed (write '{{name}}')
                  - {type: exact, expected: "{{text}} {{"}
                                                      ^
            suites/rubric.md:2:15: error: placeholder '{{text' is never closed (write '{{text}}')
            It should say {{text}, briefly.
                          ^
            """)
    }

    /// libyaml's message names a C function; the user needs to know what to change in the file.
    @Test func nestingTooDeepSaysWhatToChange() throws {
        let suite = "suite: s\nmodels: models.yaml\ntasks: " + String(repeating: "[", count: 1200)
            + String(repeating: "]", count: 1200) + "\n"
        let actual = try errors(suite)
        let lines = actual.split(separator: "\n").map(String.init)
        #expect(lines.first == "suites/x.yaml:3:9: error: invalid YAML: lists and mappings nest too deeply here (the "
                + "YAML reader stops at 1000 levels); nest them less deeply — a suite or catalog needs only a few "
                + "levels — or close the '[' or '{' left open")
        #expect(!actual.contains("yaml_set_max_nest_level"))
        // The 2,400-bracket line is shown as a window around the caret.
        #expect(lines.count == 3 && lines[1].count < 200 && lines[1].hasSuffix("…"))
    }

    @Test func fileThatIsNotUTF8() throws {
        let fixture = try SuiteFixture([:])
        try Data([0x73, 0x75, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: fixture.path("suites/x.yaml")))
        let actual = fixture.errors()
        #expect(actual == "suites/x.yaml: error: suite file is not UTF-8 text")
    }

    @Test func graderProblems() throws {
        let suite = """
            suite: s
            models: models.yaml
            tasks:
              - id: t
                prompt: hi
                graders:
                  - {type: exakt, expected: "{{label}}"}
                  - {type: exact, expected: x, normalize: [trim, lowercse, upper]}
                  - {type: regex, pattern: "a(b"}
                  - {type: contains, value: x, ignore_case: maybe, weight: 0}
                  - {type: json-valid, expected: x}
                  - {expected: x}
                  - json-valid
                  - {type: contains}
                cases: [{id: one}]
            """
        let actual = try errors(suite)
        #expect(actual == """
            suites/x.yaml:7:16: error: unknown grader type 'exakt' (did you mean 'exact'?)
                  - {type: exakt, expected: "{{label}}"}
                           ^
            suites/x.yaml:8:54: error: unknown normalization 'lowercse' (did you mean 'lowercase'?)
                  - {type: exact, expected: x, normalize: [trim, lowercse, upper]}
                                                                 ^
            suites/x.yaml:8:64: error: unknown normalization 'upper' (expected trim, lowercase, collapse-whitespace, strip-punctuation, nfkc or strip-code-fences)
                  - {type: exact, expected: x, normalize: [trim, lowercse, upper]}
                                                                           ^
            suites/x.yaml:9:32: error: invalid regex 'a(b': expected ')'
                  - {type: regex, pattern: "a(b"}
                                           ^
            suites/x.yaml:10:49: error: 'ignore_case' must be true or false, got 'maybe'
                  - {type: contains, value: x, ignore_case: maybe, weight: 0}
                                                            ^
            suites/x.yaml:10:64: error: 'weight' must be greater than 0, got 0
                  - {type: contains, value: x, ignore_case: maybe, weight: 0}
                                                                           ^
            suites/x.yaml:11:28: error: unknown key 'expected' in 'json-valid' grader (expected type, weight, not, metric, on, online or extract)
                  - {type: json-valid, expected: x}
                                       ^
            suites/x.yaml:12:9: error: missing required key 'type' in grader
                  - {expected: x}
                    ^
            suites/x.yaml:13:9: error: grader must be a mapping like {type: exact, expected: ...}, got 'json-valid'
                  - json-valid
                    ^
            suites/x.yaml:14:9: error: missing required key 'value' in 'contains' grader
                  - {type: contains}
                    ^
            """)
    }

    @Test func datasetAndCasesMustBeExactlyOne() throws {
        let suite = """
            suite: s
            models: models.yaml
            tasks:
              - id: both
                prompt: hi
                dataset: data/q.jsonl
                cases: [{graders: [{type: json-valid}]}]
                graders: [{type: json-valid}]
              - id: neither
                prompt: hi
                graders: [{type: json-valid}]
            """
        let actual = try errors(suite, files: ["suites/data/q.jsonl": #"{"q": 1}"#])
        #expect(actual == """
            suites/x.yaml:4:5: error: task 'both' has both 'dataset' and 'cases'; give exactly one
              - id: both
                ^
            suites/x.yaml:9:5: error: task 'neither' has neither 'dataset' nor 'cases'; give exactly one
              - id: neither
                ^
            """)
    }

    @Test func datasetFileProblems() throws {
        let suite = """
            suite: s
            models: models.yaml
            tasks:
              - {id: missing, prompt: hi, dataset: data/nope.jsonl, graders: [{type: json-valid}]}
              - {id: bad-json, prompt: hi, dataset: data/bad.jsonl, graders: [{type: json-valid}]}
              - {id: bad-csv, prompt: hi, dataset: data/bad.csv, graders: [{type: json-valid}]}
              - {id: empty, prompt: hi, dataset: data/empty.csv, graders: [{type: json-valid}]}
              - {id: txt, prompt: hi, dataset: data/q.txt, graders: [{type: json-valid}]}
            """
        let files = [
            "suites/data/bad.jsonl": "{\"q\": 1}\n{\"q\": 2,}\n",
            "suites/data/bad.csv": "q,a\n1,2\n3\n",
            "suites/data/empty.csv": "q,a\n",
        ]
        let actual = try errors(suite, files: files)
        #expect(actual == """
            suites/x.yaml:4:40: error: dataset file 'suites/data/nope.jsonl' does not exist
              - {id: missing, prompt: hi, dataset: data/nope.jsonl, graders: [{type: json-valid}]}
                                                   ^
            suites/x.yaml:7:38: error: dataset file 'suites/data/empty.csv' has no rows
              - {id: empty, prompt: hi, dataset: data/empty.csv, graders: [{type: json-valid}]}
                                                 ^
            suites/x.yaml:8:36: error: dataset 'data/q.txt' must be a .jsonl or .csv file
              - {id: txt, prompt: hi, dataset: data/q.txt, graders: [{type: json-valid}]}
                                               ^
            suites/data/bad.jsonl:2:9: error: invalid JSON: expected a quoted key
            {"q": 2,}
                    ^
            suites/data/bad.csv:3:1: error: row has 1 field but the header has 2
            3
            ^
            """)
    }

    @Test func casesWithoutGraders() throws {
        let suite = """
            suite: s
            models: models.yaml
            tasks:
              - id: inline
                prompt: hi
                cases:
                  - {id: graded, graders: [{type: json-valid}]}
                  - {id: bare}
                  - vars: {x: 1}
              - id: rows
                prompt: hi
                dataset: data/q.csv
            """
        let actual = try errors(suite, files: ["suites/data/q.csv": "x\n1\n"])
        #expect(actual == """
            suites/x.yaml:8:14: error: case 'bare' has no graders; add 'graders' to it or to task 'inline'
                  - {id: bare}
                         ^
            suites/x.yaml:9:9: error: case '3' has no graders; add 'graders' to it or to task 'inline'
                  - vars: {x: 1}
                    ^
            suites/x.yaml:10:5: error: task 'rows' has no graders; add 'graders' to the task (cases from a dataset \
            cannot add their own)
              - id: rows
                ^
            """)
    }

    @Test func missingCatalogIsReportedAtTheModelsKey() throws {
        let fixture = try SuiteFixture(["suites/x.yaml": """
            suite: s
            models: {catalog: catalogs/models.yaml}
            tasks:
              - {id: t, prompt: hi, cases: [{graders: [{type: json-valid}]}]}
            """], catalog: nil)
        let actual = fixture.errors()
        #expect(actual == """
            suites/x.yaml:2:19: error: catalog file 'suites/catalogs/models.yaml' does not exist
            models: {catalog: catalogs/models.yaml}
                              ^
            """)
        let actual2 = fixture.errors(catalog: "elsewhere.yaml")
        #expect(actual2 == "elsewhere.yaml: error: catalog file does not exist")
    }

    @Test func missingSuiteFile() throws {
        let fixture = try SuiteFixture([:])
        let actual = fixture.errors("suites/none.yaml")
        #expect(actual == "suites/none.yaml: error: suite file does not exist")
        let actual2 = fixture.errors("suites")
        #expect(actual2 == "suites: error: suite file is a directory, not a file")
    }

    @Test func notASuite() throws {
        let actual = try errors("- a\n- b\n")
        #expect(actual == """
            suites/x.yaml:1:1: error: a suite must be a mapping with 'suite:' and 'tasks:' keys, got a list
            - a
            ^
            """)
        let actual2 = try errors("")
        #expect(actual2 == "suites/x.yaml: error: a suite must be a mapping with 'suite:' and 'tasks:' keys, got an empty file")
    }

    @Test func errorsInTheCatalogComeWithTheSuites() throws {
        let catalog = """
            models:
              - id: gpt-4o
                base_url: https://api.openai.com/v1
                model: gpt-4o
                clas: frontier
            """
        let fixture = try SuiteFixture(["suites/x.yaml": """
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o]}
            tasks:
              - {id: t, prompt: hi, cases: [{graders: [{type: jsonvalid}]}]}
            """], catalog: catalog)
        // The broken entry is not also reported as unknown in `only:`.
        let actual = fixture.errors()
        #expect(actual == """
            suites/x.yaml:4:51: error: unknown grader type 'jsonvalid' (did you mean 'json-valid'?)
              - {id: t, prompt: hi, cases: [{graders: [{type: jsonvalid}]}]}
                                                              ^
            suites/models.yaml:2:5: error: missing required key 'class' in model
              - id: gpt-4o
                ^
            suites/models.yaml:5:5: error: unknown key 'clas' in model (did you mean 'class'?)
                clas: frontier
                ^
            """)
    }

    @Test func validateReportsEveryProblemOfABrokenSuiteAtOnce() throws {
        let fixture = try SuiteFixture(["suites/x.yaml": """
            suite: broken
            models: {catalog: models.yaml, only: [gpt4o]}
            defaults: {temperature: 5}
            tasks:
              - id: classify
                promt: "{{ticket}}"
                dataset: data/tickets.jsonl
                graders: [{type: exakt, expected: "{{label}}"}]
              - id: classify
                prompt: "{{question}}"
                cases:
                  - {vars: {question: q}, graders: [{type: regex, pattern: "("}]}
            """, "suites/data/tickets.jsonl": "{\"ticket\": \"t\", \"label\": \"bug\"}\n{oops}\n"])
        let problems = fixture.loader.validate(path: fixture.path("suites/x.yaml"))
        #expect(problems.count == 8)
        #expect(fixture.render(problems) == """
            suites/x.yaml:2:39: error: unknown model 'gpt4o' in 'only' (did you mean 'gpt-4o'?)
            models: {catalog: models.yaml, only: [gpt4o]}
                                                  ^
            suites/x.yaml:3:25: error: 'temperature' must be between 0 and 2, got 5
            defaults: {temperature: 5}
                                    ^
            suites/x.yaml:5:5: error: missing required key 'prompt' in task
              - id: classify
                ^
            suites/x.yaml:6:5: error: unknown key 'promt' in task (did you mean 'prompt'?)
                promt: "{{ticket}}"
                ^
            suites/x.yaml:8:22: error: unknown grader type 'exakt' (did you mean 'exact'?)
                graders: [{type: exakt, expected: "{{label}}"}]
                                 ^
            suites/x.yaml:9:9: error: duplicate task id 'classify' (first at line 5)
              - id: classify
                    ^
            suites/x.yaml:12:64: error: invalid regex '(': expected ')'
                  - {vars: {question: q}, graders: [{type: regex, pattern: "("}]}
                                                                           ^
            suites/data/tickets.jsonl:2:2: error: invalid JSON: expected a quoted key
            {oops}
             ^
            """)
    }

    @Test func loadThrowsTheSameDiagnosticsWithACount() throws {
        let fixture = try SuiteFixture(["suites/x.yaml": """
            suite: s
            models: models.yaml
            tasks:
              - {id: t, promt: hi, cases: [{graders: [{type: json-valid}]}]}
            """])
        let error = try #require(throws: DiagnosticsError.self) { try fixture.load() }
        #expect(error.diagnostics.count == 2)
        #expect(fixture.render(error.diagnostics) == fixture.validate("suites/x.yaml"))
        #expect(error.description.hasSuffix("\n2 errors generated."))
    }
}
