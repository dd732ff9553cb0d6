import Foundation

/// Schema documents: the JSON Schema files of the repository's `schemas/` (the suite, the
/// catalog, the report and the commands' JSON), checked by the same validator as a
/// `json-schema` grader, so the tests that hold those files to the code need no other package.
extension JSONSchema {
    /// Reads a schema document: the keywords a `json-schema` grader takes, plus `$defs` at the
    /// root and `$ref`s to them (`#/$defs/name`). Patterns that nest repeats are refused, so
    /// checking a file against the schema takes time in proportion to the file.
    ///
    /// - Parameters:
    ///   - data: The document's JSON text.
    ///   - file: Its path, for diagnostics.
    /// - Returns: The schema.
    /// - Throws: `DiagnosticsError` with every problem: invalid JSON, an unsupported keyword, a
    ///   `$ref` to a name `$defs` does not define, `$defs` below the root.
    public static func document(_ data: Data, file: String) throws(DiagnosticsError) -> JSONSchema {
        let tree: JSONTree
        switch JSONTree.parse(data, file: file) {
        case .failure(let error): throw error
        case .success(let parsed): tree = parsed
        }
        var problems: [SchemaProblem] = []
        let schema = compile(SchemaSource(tree.root), problems: &problems, dialect: .document)
        var diagnostics = problems.map {
            tree.source.error($0.message, line: $0.position?.line, column: $0.position?.column)
        }
        let names = schema.definitions.keys
        schema.visit(root: true) { rules, isRoot in
            if let reference = rules.reference, !names.contains(reference) {
                diagnostics.append(Diagnostic(.error, file: file, line: nil, column: nil,
                                              message: "'$ref' names '#/$defs/\(reference)', which '$defs' does not define"))
            }
            if !isRoot, !rules.definitions.isEmpty {
                diagnostics.append(Diagnostic(.error, file: file, line: nil, column: nil,
                                              message: "'$defs' is read at the root only; move '\(rules.definitions.keys.sorted()[0])' there"))
            }
        }
        guard diagnostics.isEmpty else { throw DiagnosticsError(diagnostics) }
        return schema
    }

    /// Every way the JSON text `data` breaks the schema, each as `$.path: problem`; one
    /// problem at `$` when it is not JSON.
    ///
    /// - Parameter data: JSON text.
    /// - Returns: The violations; empty when the text conforms.
    public func violations(ofJSON data: Data) -> [String] {
        do {
            return violations(of: try JSONTree.value(in: String(decoding: data, as: UTF8.self)).jsonValue)
        } catch {
            return ["$: invalid JSON: \(error.message) at line \(error.line), column \(error.column)"]
        }
    }

    /// Calls `body` with every schema object in this schema, this one first (`isRoot`).
    func visit(root: Bool, _ body: (Rules, _ isRoot: Bool) -> Void) {
        guard case .rules(let rules) = self else { return }
        body(rules, root)
        let children = Array(rules.properties.values) + rules.anyOf + rules.oneOf + rules.allOf
            + [rules.additionalProperties, rules.items, rules.not].compactMap { $0 } + Array(rules.definitions.values)
        for child in children { child.visit(root: false, body) }
    }
}
