/// JSONL datasets: one JSON object per non-blank line.
///
/// Values become variables as text: strings as they are, numbers and booleans as written
/// (`42`, not `42.0`), null as empty, arrays and objects as compact JSON.
extension Dataset {
    static func jsonlRows(_ source: SourceText, log: inout DiagnosticLog) -> [Row] {
        var rows: [Row] = []
        for (index, line) in source.lines.enumerated() {
            let number = index + 1
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            do {
                let value = try JSONTree.value(in: line)
                guard let members = value.members else {
                    log.add(source.error("each line must be a JSON object, got \(value.kind)", line: number, column: 1))
                    continue
                }
                var values: [String: String] = [:]
                var duplicate: String?
                for member in members where values.updateValue(member.value.variableText, forKey: member.key) != nil {
                    if duplicate == nil { duplicate = member.key }
                }
                if let duplicate {
                    log.add(source.error("duplicate key '\(duplicate)' in this row", line: number, column: 1))
                    continue
                }
                rows.append(Row(line: number, values: values))
            } catch {
                log.add(source.error("invalid JSON: \(error.message)", line: number, column: error.column))
            }
        }
        return rows
    }
}
