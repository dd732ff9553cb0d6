import Foundation
import Testing
@testable import TradeoffKit

/// The validator the repository's schema files are checked with: the `json-schema` grader's,
/// plus `$defs` and `$ref` in schema documents.
struct SchemaDocumentTests {
    private func document(_ text: String) throws -> JSONSchema {
        try JSONSchema.document(Data(text.utf8), file: "s.json")
    }

    private func problems(_ text: String) -> [String] {
        do {
            _ = try JSONSchema.document(Data(text.utf8), file: "s.json")
            return []
        } catch {
            return error.diagnostics.map(\.message)
        }
    }

    @Test func referencesCheckTheirDefinitions() throws {
        let schema = try document("""
            {"type": "object", "properties": {"n": {"$ref": "#/$defs/small", "description": "a note"}},
             "$defs": {"small": {"type": "integer", "maximum": 3}}}
            """)
        #expect(schema.violations(of: .object(["n": .integer(2)])).isEmpty)
        #expect(schema.violations(of: .object(["n": .integer(5)])) == ["$.n: 5 is more than the maximum 3"])
        #expect(schema.violations(of: .object(["n": .string("x")])) == [#"$.n: expected integer, got string "x""#])
    }

    @Test func recursiveReferencesFollowTheValue() throws {
        let schema = try document("""
            {"$ref": "#/$defs/tree",
             "$defs": {"tree": {"type": "object", "additionalProperties": false,
                                "properties": {"leaf": {"type": "string"}, "kids": {"type": "array", "items": {"$ref": "#/$defs/tree"}}}}}}
            """)
        let tree = JSONValue.object(["kids": .array([.object(["leaf": .string("a")]),
                                                     .object(["kids": .array([.object(["leaf": .integer(1)])])])])])
        #expect(schema.violations(of: tree) == ["$.kids[1].kids[0].leaf: expected string, got integer 1"])
    }

    @Test func aReferenceLoopIsReportedNotFollowed() throws {
        let schema = try document(##"{"$ref": "#/$defs/a", "$defs": {"a": {"anyOf": [{"$ref": "#/$defs/a"}]}}}"##)
        #expect(schema.violations(of: .integer(1)) == ["$: matches none of the 1 schemas of anyOf"])
    }

    @Test func brokenDocumentsAreErrors() {
        #expect(problems(##"{"$ref": "#/$defs/missing", "$defs": {}}"##)
                == ["'$ref' names '#/$defs/missing', which '$defs' does not define"])
        #expect(problems(#"{"$ref": "other.json#/x"}"#)
                == ["'$ref' must name a schema of the root's '$defs', like '#/$defs/name', got 'other.json#/x'"])
        #expect(problems(#"{"properties": {"a": {"$defs": {"b": true}}}}"#)
                == ["'$defs' is read at the root only; move 'b' there"])
        #expect(problems(#"{"pattern": "^(a+)+$"}"#)
                == ["'pattern' nests repeats in '(a+)+', which can take exponential time"])
        #expect(problems(#"{"minProperties": 1}"#).first?.hasPrefix("unsupported JSON Schema keyword 'minProperties'") == true)
        #expect(problems(#"{"type": "object""#).first?.hasPrefix("invalid JSON") == true)
    }

    @Test func graderSchemasStillRefuseReferences() {
        var problems: [SchemaProblem] = []
        let source = SchemaSource(value: .object([("$ref", nil, SchemaSource(value: .string("#/$defs/a"), position: nil))]),
                                  position: nil)
        _ = JSONSchema.compile(source, problems: &problems)
        #expect(problems.map(\.message).first?.hasPrefix("unsupported JSON Schema keyword '$ref'") == true)
    }

    @Test func jsonTextIsCheckedOrReportedAsNotJSON() throws {
        let schema = try document(#"{"type": "object", "required": ["a"]}"#)
        #expect(schema.violations(ofJSON: Data(#"{"a": 1}"#.utf8)).isEmpty)
        #expect(schema.violations(ofJSON: Data("{}".utf8)) == ["$: missing required property 'a'"])
        #expect(schema.violations(ofJSON: Data("{".utf8)).first?.hasPrefix("$: invalid JSON") == true)
    }
}
