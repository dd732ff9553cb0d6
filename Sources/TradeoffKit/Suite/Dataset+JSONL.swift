/// JSONL datasets: one JSON object per non-blank line.
///
/// Values become variables as text: strings as they are, numbers and booleans as written
/// (`42`, not `42.0`), null as empty, arrays and objects as compact JSON.
extension Dataset {
    /// The variables of one non-blank JSONL line.
    static func jsonlValues(_ line: String) throws(RowProblem) -> [String: String] {
        let value: JSONTree.Node
        do {
            value = try JSONTree.value(in: line)
        } catch {
            throw RowProblem(message: "invalid JSON: \(error.message)", column: error.column)
        }
        guard let members = value.members else {
            throw RowProblem(message: "each line must be a JSON object, got \(value.kind)", column: 1)
        }
        var values: [String: String] = [:]
        for member in members where values.updateValue(member.value.variableText, forKey: member.key) != nil {
            throw RowProblem(message: "duplicate key '\(member.key)' in this row", column: 1)
        }
        return values
    }
}
