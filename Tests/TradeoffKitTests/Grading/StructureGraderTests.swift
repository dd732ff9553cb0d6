import Testing
@testable import TradeoffKit

/// `json-valid`, `json-schema` and `json-path`, with and without `extract: json`.
struct StructureGraderTests {
    static let person: JSONSchema = {
        var age = JSONSchema.Rules()
        age.types = ["integer"]
        age.minimum = 0
        var name = JSONSchema.Rules()
        name.types = ["string"]
        name.minLength = 1
        var tags = JSONSchema.Rules()
        tags.types = ["array"]
        tags.items = .rules({ var rules = JSONSchema.Rules(); rules.enumValues = [.string("vip"), .string("new")]; return rules }())
        var root = JSONSchema.Rules()
        root.types = ["object"]
        root.properties = ["name": .rules(name), "age": .rules(age), "tags": .rules(tags)]
        root.required = ["name", "age"]
        root.additionalProperties = .boolean(false)
        return .rules(root)
    }()

    struct Example: Sendable, CustomTestStringConvertible {
        var kind: GraderSpec.Kind
        var extract = false
        var answer: String
        var variables: [String: String] = [:]
        var passes: Bool
        var reason: String
        var testDescription: String { "\(kind) on '\(answer)'" }
    }

    @Test(arguments: [
        Example(kind: .jsonValid, answer: "Here it is:\n```json\n{\"a\": 1}\n```", passes: false,
                reason: #"not valid JSON (unexpected character 'H' at character 1): 'Here it is:\n```json\n{"a": 1}\n```'"#),
        Example(kind: .jsonValid, extract: true, answer: "Here it is:\n```json\n{\"a\": 1}\n```", passes: true,
                reason: "valid JSON (from a ```json block)"),
        Example(kind: .jsonValid, extract: true, answer: #"Sure! The record is {"name": "Zoë", "age": 31}. Anything else?"#,
                passes: true, reason: "valid JSON (from the answer at character 21)"),
        Example(kind: .jsonValid, extract: true, answer: "{not json} but [1, 2] is", passes: true,
                reason: "valid JSON (from the answer at character 16)"),
        Example(kind: .jsonValid, extract: true, answer: "no braces at all", passes: false,
                reason: "no JSON object or array found in the answer: 'no braces at all'"),
        Example(kind: .jsonSchema(person), answer: #"{"name": "Zoë", "age": 31, "tags": ["vip"]}"#, passes: true,
                reason: "matches the schema"),
        Example(kind: .jsonSchema(person), answer: #"{"name": "Ana", "age": "31"}"#, passes: false,
                reason: #"$.age: expected integer, got string "31""#),
        Example(kind: .jsonSchema(person), answer: #"{"name": "", "age": -1, "tags": ["gold"], "x": 1}"#, passes: false,
                reason: "$.age: -1 is less than the minimum 0 (and 3 more)"),
        Example(kind: .jsonSchema(person), answer: #"{"age": 3.0}"#, passes: false,
                reason: "$: missing required property 'name'"),
        Example(kind: .jsonPath(path: try! JSONPath(parsing: "$.age"), check: .equals(Template("{{age}}"))),
                answer: #"{"name": "Ana", "age": 31.0}"#, variables: ["age": "31"], passes: true,
                reason: "$.age is 31, as expected"),
        Example(kind: .jsonPath(path: try! JSONPath(parsing: "order.items[-1].sku"), check: .equals(Template("B-2"))),
                answer: #"{"order": {"items": [{"sku": "A-1"}, {"sku": "B-2"}]}}"#, passes: true,
                reason: #"order.items[-1].sku is "B-2", as expected"#),
        Example(kind: .jsonPath(path: try! JSONPath(parsing: "$.tags"), check: .contains(Template("vip"))), extract: true,
                answer: "```\n{\"tags\": [\"new\", \"vip\"]}\n```", passes: true,
                reason: "$.tags contains 'vip' (from a code block)"),
        Example(kind: .jsonPath(path: try! JSONPath(parsing: "$.note"), check: .contains(Template("late"))),
                answer: #"{"note": "Delivered late again"}"#, passes: true, reason: "$.note contains 'late'"),
        Example(kind: .jsonPath(path: try! JSONPath(parsing: "$['first name']"), check: .exists),
                answer: #"{"first name": null}"#, passes: true, reason: "$['first name'] is null"),
        Example(kind: .jsonPath(path: try! JSONPath(parsing: "$.missing"), check: .exists), answer: #"{"a": 1}"#,
                passes: false, reason: "no value at $.missing"),
        Example(kind: .jsonPath(path: try! JSONPath(parsing: "$.ok"), check: .equals(Template("true"))),
                answer: #"{"ok": false}"#, passes: false, reason: "$.ok is false, expected 'true'"),
    ])
    func grades(_ example: Example) throws {
        let outcome = try Grader(GraderSpec(example.kind, extractJSON: example.extract)).grade(example.answer,
                                                                                              variables: example.variables)
        #expect(outcome.passed == example.passes)
        #expect(outcome.reason == example.reason)
    }

    @Test func schemaViolationsNameEveryProblem() {
        let value = JSONValue.object(["name": .string(""), "age": .integer(-1), "tags": .array([.string("gold")]), "x": .integer(1)])
        #expect(Self.person.violations(of: value) == [
            "$.age: -1 is less than the minimum 0",
            "$.name: 0 characters, fewer than 1",
            #"$.tags[0]: "gold" is not one of "vip", "new""#,
            "$: property 'x' is not allowed",
        ])
    }

    @Test func combinators() {
        var string = JSONSchema.Rules()
        string.types = ["string"]
        var short = JSONSchema.Rules()
        short.maxLength = 3
        var either = JSONSchema.Rules()
        either.oneOf = [.rules(string), .rules(short)]
        #expect(JSONSchema.rules(either).violations(of: .string("ab")) ==
                ["$: matches 2 of the 2 schemas of oneOf (exactly one must match)"])
        #expect(JSONSchema.rules(either).violations(of: .string("abcd")).isEmpty)
        var any = JSONSchema.Rules()
        any.anyOf = [.boolean(false), .rules(string)]
        #expect(JSONSchema.rules(any).violations(of: .integer(1)) == ["$: matches none of the 2 schemas of anyOf"])
        var not = JSONSchema.Rules()
        not.not = .rules(string)
        #expect(JSONSchema.rules(not).violations(of: .string("x")) == ["$: matches the schema of 'not'"])
        var constant = JSONSchema.Rules()
        constant.constValue = .null
        #expect(JSONSchema.rules(constant).violations(of: .integer(0)) == ["$: expected null, got 0"])
    }

    @Test(arguments: [
        ("a..b", "invalid JSON path 'a..b': expected a key at character 3"),
        ("$.a[x]", "invalid JSON path '$.a[x]': expected an index or a quoted key in '[...]' at character 5"),
        ("$['a", "invalid JSON path '$['a': unclosed quote at character 5"),
        ("$a", "invalid JSON path '$a': expected '.' or '[' at character 2"),
    ])
    func badPaths(_ path: String, _ message: String) {
        #expect(throws: JSONPathError(message: message)) { try JSONPath(parsing: path) }
    }
}
