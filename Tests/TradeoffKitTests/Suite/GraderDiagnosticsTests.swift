import Foundation
import Testing
@testable import TradeoffKit

/// Every problem a grader can have, pinned with its exact rendering, as `validate` prints it.
struct GraderDiagnosticsTests {
    /// The files every test here uses besides the suite: a rubric, a command and JSON schemas.
    static let files: [String: String] = [
        "suites/rubric.md": "Rubric for {{lable}}\n",
        "suites/graders/ok.sh": "#!/bin/sh\necho '{\"score\": 1}'\n",
        "suites/schema.json": """
            {
              "type": "object",
              "properties": {
                "age": {"type": "int", "minimum": "0"},
                "name": {"$ref": "#/defs/name", "format": "email"}
              },
              "required": "name"
            }
            """,
        "suites/broken.json": "{\"type\": \"object\",\n  \"properties\": {\"a\": 1,}}\n",
    ]

    /// `validate`'s diagnostics for `suite` written as `suites/x.yaml`.
    private func diagnostics(_ suite: String) throws -> String {
        var files = Self.files
        files["suites/x.yaml"] = suite
        let fixture = try SuiteFixture(files)
        let script = fixture.path("suites/graders/ok.sh")
        chmod(script, 0o755)
        // Command paths in messages are the suite's folder as the user named it.
        return fixture.validate("suites/x.yaml").replacingOccurrences(of: fixture.directory.path + "/", with: "")
    }

    @Test(arguments: [
        ("(x+x+)+y", "(x+x+)+"), (#"^(\w+\s?)*$"#, #"(\w+\s?)*"#), ("(?:a*b*){2,}c", "(?:a*b*){2,}"),
        ("((ab)+)+", "((ab)+)+"), ("(a+)+?", "(a+)+?"), (#"(?<n>\d+,)*x"#, #"(?<n>\d+,)*"#), ("([a-z]+)*", "([a-z]+)*"),
    ])
    func nestedRepeatsAreFound(pattern: String, nested: String) {
        #expect(RegexCheck.nestedRepeat(in: pattern) == nested)
    }

    @Test(arguments: [
        "(x+x+)y", "(?>x+)+y", "(x++)+y", "(x+)++y", #"\(x+\)+"#, "[(x+)]+", #"\Q(x+)+\E"#, "(?#(x+)+)x",
        "(ab){2,5}", "(a{2})+", #"^\s*(?<local>[A-Za-z0-9._%+-]+)@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\s*$"#, "x+", "(x)+",
    ])
    func patternsWithoutNestedRepeatsAreLeftAlone(pattern: String) {
        #expect(RegexCheck.nestedRepeat(in: pattern) == nil)
    }

    @Test func aRegexThatNestsRepeatsIsAWarning() throws {
        let actual = try diagnostics(#"""
            suite: s
            models: models.yaml
            tasks:
              - id: t
                prompt: hi
                graders:
                  - {type: regex, pattern: '(x+x+)+y'}
                cases: [{id: one}]
            """#)
        #expect(actual == #"""
            suites/x.yaml:7:32: warning: regex '(x+x+)+y' nests repeats in '(x+x+)+', which can take exponential time on an answer that almost matches (matching stops after 1 s, a grader error); an atomic group (?>...) or a possessive quantifier like x++ avoids it
                  - {type: regex, pattern: '(x+x+)+y'}
                                           ^
            """#)
    }

    @Test func textGraders() throws {
        let actual = try diagnostics(#"""
            suite: s
            models: models.yaml
            tasks:
              - id: t
                prompt: hi
                graders:
                  - {type: contains, value: x, on: total}
                  - {type: regex, pattern: 'Total: (?<total>\d+)', flags: mq}
                  - {type: regex, pattern: 'Total: (?<total>\d+)', flags: i}
                  - {type: regex, pattern: 'Total: (?<total>\d+)'}
                  - {type: numeric, expected: "{{totl}}", on: totl}
                  - {type: exact, expected: "{{total}}", on: total}
                  - {type: contains-any, values: {a: b}}
                  - {type: one-of, labels: [billing]}
                  - {type: similarity, expected: a, references: [b]}
                  - {type: bleu}
                  - {type: json-valid, extract: xml}
                  - {type: length, unit: lines}
                  - {type: length}
                  - {type: length, min: 5, max: 2}
                  - {type: choice, expected: F, options: [A, B, C, D]}
                  - {type: choice, expected: A, options: [A, AB, B]}
                  - {type: choice, expected: A, options: [A, B, b]}
                  - {type: choice, expected: A, options: [A]}
                  - {type: numeric, expected: abc}
                  - {type: json-path, path: "a..b"}
                  - {type: json-path, path: "$.a", equals: 1, contains: 2}
                  - {type: similarity, expected: a, threshold: 1.5}
                cases: [{id: one}]
            """#)
        #expect(actual == #"""
            suites/x.yaml:7:40: error: 'on' names 'total', but no regex before this grader has a named group like (?<total>...)
                  - {type: contains, value: x, on: total}
                                                   ^
            suites/x.yaml:8:63: error: unknown regex flag 'q' in 'flags' (expected m, s or x)
                  - {type: regex, pattern: 'Total: (?<total>\d+)', flags: mq}
                                                                          ^
            suites/x.yaml:9:63: error: use 'ignore_case: true' for the flag 'i'
                  - {type: regex, pattern: 'Total: (?<total>\d+)', flags: i}
                                                                          ^
            suites/x.yaml:11:51: error: 'on' names 'totl', which no regex before this grader captures (did you mean 'total'?)
                  - {type: numeric, expected: "{{totl}}", on: totl}
                                                              ^
            suites/x.yaml:13:38: error: 'values' must be a list, got a mapping
                  - {type: contains-any, values: {a: b}}
                                                 ^
            suites/x.yaml:14:32: error: 'labels' must list at least 2 values
                  - {type: one-of, labels: [billing]}
                                           ^
            suites/x.yaml:15:53: error: give 'expected' or 'references', not both
                  - {type: similarity, expected: a, references: [b]}
                                                                ^
            suites/x.yaml:16:9: error: missing required key 'expected' (or 'references') in 'bleu' grader
                  - {type: bleu}
                    ^
            suites/x.yaml:17:37: error: 'extract' must be 'json', got 'xml'
                  - {type: json-valid, extract: xml}
                                                ^
            suites/x.yaml:18:30: error: unknown unit 'lines' (expected characters or words)
                  - {type: length, unit: lines}
                                         ^
            suites/x.yaml:19:9: error: 'length' grader needs 'min', 'max' or both
                  - {type: length}
                    ^
            suites/x.yaml:20:37: error: 'max' (2) is less than 'min' (5)
                  - {type: length, min: 5, max: 2}
                                                ^
            suites/x.yaml:21:34: error: 'expected' must be one of the options A, B, C or D, got 'F'
                  - {type: choice, expected: F, options: [A, B, C, D]}
                                             ^
            suites/x.yaml:22:50: error: each option must be one letter A-Z, got 'AB'
                  - {type: choice, expected: A, options: [A, AB, B]}
                                                             ^
            suites/x.yaml:23:53: error: option 'B' is listed twice
                  - {type: choice, expected: A, options: [A, B, b]}
                                                                ^
            suites/x.yaml:24:46: error: 'options' must list at least 2 letters
                  - {type: choice, expected: A, options: [A]}
                                                         ^
            suites/x.yaml:25:35: error: 'expected' must be a number, got 'abc'
                  - {type: numeric, expected: abc}
                                              ^
            suites/x.yaml:26:33: error: invalid JSON path 'a..b': expected a key at character 3
                  - {type: json-path, path: "a..b"}
                                            ^
            suites/x.yaml:27:61: error: give 'equals' or 'contains', not both
                  - {type: json-path, path: "$.a", equals: 1, contains: 2}
                                                                        ^
            suites/x.yaml:28:52: error: 'threshold' must be between 0 and 1, got 1.5
                  - {type: similarity, expected: a, threshold: 1.5}
                                                               ^
            """#)
    }

    @Test func judgesAndCommands() throws {
        let actual = try diagnostics(#"""
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o]}
            tasks:
              - id: t
                prompt: "Classify {{ticket}}"
                graders:
                  - {type: judge, rubric: r, model: gpt4o}
                  - {type: judge, rubric: r, model: gpt-4o}
                  - {type: judge, rubric: r, model: llama-3.3-70b, models: [gpt-4o]}
                  - {type: judge, rubric: r, models: []}
                  - {type: judge, rubric: r, models: [llama-3.3-70b, llama-3.3-70b]}
                  - {type: judge, rubric: r}
                  - {type: judge, model: llama-3.3-70b}
                  - {type: judge, rubric: r, rubric_file: rubric.md, model: llama-3.3-70b}
                  - {type: judge, rubric_file: missing.md, model: llama-3.3-70b}
                  - {type: judge, rubric_file: rubric.md, model: llama-3.3-70b}
                  - {type: judge, rubric: "Label {{label}} for {{ticket}}", model: llama-3.3-70b, scale: ten}
                  - {type: judge, rubric: r, model: llama-3.3-70b, scale: [5, 1]}
                  - {type: judge, rubric: r, model: llama-3.3-70b, template: "Grade {{prompt}} {{verdict_format}} {{tone}}"}
                  - {type: command, command: "python3 check.py"}
                  - {type: command, command: [python4, check.py]}
                  - {type: command, command: [sh, graders/nope.sh]}
                  - {type: command, command: [graders/missing, --flag]}
                  - {type: command, command: [graders/ok.sh, --mode=strict, graders/ok.sh], timeout: 0}
                cases: [{id: one, vars: {ticket: x, label: y}}]
            """#)
        #expect(actual == #"""
            suites/x.yaml:9:64: error: give 'model' or 'models', not both
                  - {type: judge, rubric: r, model: llama-3.3-70b, models: [gpt-4o]}
                                                                           ^
            suites/x.yaml:10:42: error: 'models' must list at least one judge model
                  - {type: judge, rubric: r, models: []}
                                                     ^
            suites/x.yaml:11:58: error: judge model 'llama-3.3-70b' is listed twice
                  - {type: judge, rubric: r, models: [llama-3.3-70b, llama-3.3-70b]}
                                                                     ^
            suites/x.yaml:12:9: error: missing required key 'model' (or 'models') in 'judge' grader
                  - {type: judge, rubric: r}
                    ^
            suites/x.yaml:13:9: error: missing required key 'rubric' (or 'rubric_file') in 'judge' grader
                  - {type: judge, model: llama-3.3-70b}
                    ^
            suites/x.yaml:14:47: error: give 'rubric' or 'rubric_file', not both
                  - {type: judge, rubric: r, rubric_file: rubric.md, model: llama-3.3-70b}
                                                          ^
            suites/x.yaml:15:36: error: rubric file 'suites/missing.md' does not exist
                  - {type: judge, rubric_file: missing.md, model: llama-3.3-70b}
                                               ^
            suites/x.yaml:16:36: error: placeholder '{{lable}}' has no variable in 1 of 1 case (first: case 'one' at suites/x.yaml:25); variables are: label, ticket (did you mean 'label'?)
                  - {type: judge, rubric_file: rubric.md, model: llama-3.3-70b}
                                               ^
            suites/x.yaml:17:94: error: 'scale' must be pass-fail or a range like [1, 5], got 'ten'
                  - {type: judge, rubric: "Label {{label}} for {{ticket}}", model: llama-3.3-70b, scale: ten}
                                                                                                         ^
            suites/x.yaml:18:63: error: the scale's low end (5) must be below its high end (1)
                  - {type: judge, rubric: r, model: llama-3.3-70b, scale: [5, 1]}
                                                                          ^
            suites/x.yaml:19:66: error: the judge template never shows the answer: add {{answer}} where it goes
                  - {type: judge, rubric: r, model: llama-3.3-70b, template: "Grade {{prompt}} {{verdict_format}} {{tone}}"}
                                                                             ^
            suites/x.yaml:20:34: error: 'command' must be a list like [python3, graders/check.py] (it is run as it is, not through a shell), got 'python3 check.py'
                  - {type: command, command: "python3 check.py"}
                                             ^
            suites/x.yaml:21:35: error: command 'python4' is not on PATH
                  - {type: command, command: [python4, check.py]}
                                              ^
            suites/x.yaml:22:39: error: command file 'graders/nope.sh' does not exist (paths are relative to the suite's folder, suites)
                  - {type: command, command: [sh, graders/nope.sh]}
                                                  ^
            suites/x.yaml:23:35: error: command file 'graders/missing' does not exist or is not executable (paths are relative to the suite's folder, suites)
                  - {type: command, command: [graders/missing, --flag]}
                                              ^
            suites/x.yaml:24:90: error: 'timeout' must be greater than 0, got 0
                  - {type: command, command: [graders/ok.sh, --mode=strict, graders/ok.sh], timeout: 0}
                                                                                                     ^
            """#)
    }

    @Test func schemas() throws {
        let actual = try diagnostics(#"""
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o]}
            tasks:
              - id: t
                prompt: "Classify {{ticket}}"
                graders:
                  - {type: judge, rubric: r, models: [gpt4o, gpt-4o]}
                  - {type: judge, rubric: "{{label}}", model: llama-3.3-70b, template: "{{answer}} {{tone}} {{verdict_format}}"}
                  - type: json-schema
                    schema:
                      type: object
                      properties:
                        age: {type: integer, minimum: 0, maxLength: -1}
                        tags: {type: array, items: [{type: string}], minItems: 1}
                        sku: {type: string, pattern: "([A-Z]"}
                      required: [name, 3]
                      additionalProperties: false
                      anyOf: []
                      patternProperties: {}
                      titel: x
                  - {type: json-schema, schema_file: schema.json}
                  - {type: json-schema, schema_file: broken.json}
                  - {type: json-schema, schema_file: nope.json}
                  - {type: json-schema, schema: {type: object}, schema_file: schema.json}
                  - {type: json-schema}
                cases: [{id: one, vars: {ticket: x, label: y}}]
            """#)
        #expect(actual == #"""
            suites/x.yaml:8:76: error: placeholder '{{tone}}' has no variable in 1 of 1 case (first: case 'one' at suites/x.yaml:26); variables are: label, ticket
                  - {type: judge, rubric: "{{label}}", model: llama-3.3-70b, template: "{{answer}} {{tone}} {{verdict_format}}"}
                                                                                       ^
            suites/x.yaml:13:57: error: 'maxLength' must be a whole number of at least 0, got -1
                        age: {type: integer, minimum: 0, maxLength: -1}
                                                                    ^
            suites/x.yaml:14:40: error: 'items' must be one schema for every element (a list of schemas is not supported)
                        tags: {type: array, items: [{type: string}], minItems: 1}
                                                   ^
            suites/x.yaml:15:42: error: invalid regex '([A-Z]' in 'pattern': expected ')'
                        sku: {type: string, pattern: "([A-Z]"}
                                                     ^
            suites/x.yaml:16:28: error: 'required' must list property names, got 3
                      required: [name, 3]
                                       ^
            suites/x.yaml:18:18: error: 'anyOf' must be a non-empty list of schemas, got an empty list
                      anyOf: []
                             ^
            suites/x.yaml:19:11: error: unsupported JSON Schema keyword 'patternProperties'; supported: type, properties, required, additionalProperties, items, enum, const, minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength, maxLength, pattern, minItems, maxItems, anyOf, oneOf, allOf, not
                      patternProperties: {}
                      ^
            suites/x.yaml:20:11: error: unsupported JSON Schema keyword 'titel' (did you mean 'title'?)
                      titel: x
                      ^
            suites/x.yaml:23:42: error: schema file 'suites/nope.json' does not exist
                  - {type: json-schema, schema_file: nope.json}
                                                     ^
            suites/x.yaml:24:66: error: give 'schema' or 'schema_file', not both
                  - {type: json-schema, schema: {type: object}, schema_file: schema.json}
                                                                             ^
            suites/x.yaml:25:9: error: missing required key 'schema' (or 'schema_file') in 'json-schema' grader
                  - {type: json-schema}
                    ^
            suites/schema.json:4:21: error: unknown JSON Schema type 'int' (expected string, number, integer, boolean, object, array or null)
                "age": {"type": "int", "minimum": "0"},
                                ^
            suites/schema.json:4:39: error: 'minimum' must be a number, got '0'
                "age": {"type": "int", "minimum": "0"},
                                                  ^
            suites/schema.json:5:14: error: unsupported JSON Schema keyword '$ref'; supported: type, properties, required, additionalProperties, items, enum, const, minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength, maxLength, pattern, minItems, maxItems, anyOf, oneOf, allOf, not
                "name": {"$ref": "#/defs/name", "format": "email"}
                         ^
            suites/schema.json:7:15: error: 'required' must be a list of property names, got 'name'
              "required": "name"
                          ^
            suites/broken.json:2:25: error: invalid JSON: expected a quoted key
              "properties": {"a": 1,}}
                                    ^
            """#)
    }

    @Test func judgesComeFromTheCatalogAndShouldNotBeCandidates() throws {
        let actual = try diagnostics(#"""
            suite: s
            models: {catalog: models.yaml, only: [gpt-4o]}
            tasks:
              - id: t
                prompt: "Classify {{ticket}}"
                graders:
                  - {type: judge, rubric: r, models: [gpt4o, llama-3.3-70b]}
                  - {type: judge, rubric: r, model: gpt-4o}
                cases: [{id: one, vars: {ticket: x}}]
            """#)
        #expect(actual == #"""
            suites/x.yaml:7:43: error: unknown judge model 'gpt4o' (did you mean 'gpt-4o'?); judges come from the catalog (suites/models.yaml)
                  - {type: judge, rubric: r, models: [gpt4o, llama-3.3-70b]}
                                                      ^
            suites/x.yaml:8:41: warning: judge model 'gpt-4o' is also a candidate: it will grade its own answers, which judges tend to favour; use a judge that is not a candidate, or read its grades of itself with care
                  - {type: judge, rubric: r, model: gpt-4o}
                                                    ^
            """#)
    }
}
