/// JSONL datasets: one JSON object per non-blank line.
///
/// Values become variables as text: strings as they are, numbers and booleans as written
/// (`42`, not `42.0`), null as empty, arrays and objects as compact JSON.
extension Dataset {
    /// Why a JSONL line is not a row.
    struct LineProblem: Error {
        var message: String
        var column: Int
    }

    static func jsonlRows(_ source: SourceText, log: inout DiagnosticLog) -> [Row] {
        var rows: [Row] = []
        for (index, line) in source.lines.enumerated() {
            let number = index + 1
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            do {
                rows.append(Row(line: number, values: try jsonlValues(line)))
            } catch {
                log.add(source.error(error.message, line: number, column: error.column))
            }
        }
        return rows
    }

    /// The variables of one non-blank JSONL line.
    static func jsonlValues(_ line: String) throws(LineProblem) -> [String: String] {
        let value: JSONTree.Node
        do {
            value = try JSONTree.value(in: line)
        } catch {
            throw LineProblem(message: "invalid JSON: \(error.message)", column: error.column)
        }
        guard let members = value.members else {
            throw LineProblem(message: "each line must be a JSON object, got \(value.kind)", column: 1)
        }
        var values: [String: String] = [:]
        for member in members where values.updateValue(member.value.variableText, forKey: member.key) != nil {
            throw LineProblem(message: "duplicate key '\(member.key)' in this row", column: 1)
        }
        return values
    }

    /// A row's case: the `id` column names it (it is not a prompt variable), else its 1-based
    /// position among the rows.
    static func testCase(_ values: [String: String], position: Int) -> TestCase {
        var variables = values
        let id = variables.removeValue(forKey: "id").flatMap { $0.isEmpty ? nil : $0 } ?? String(position)
        return TestCase(id: id, variables: variables)
    }
}
