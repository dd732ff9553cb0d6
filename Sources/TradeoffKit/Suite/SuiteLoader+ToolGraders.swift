import Foundation
import Yams

/// The tool graders' keys: `tool-call` (`name`; `schema`, `path` with `equals`/`contains`, or
/// `arguments`), `no-tool-call` (`name`), `tool-call-count` (`name`, `min`, `max`).
extension SuiteLoader.Session {
    mutating func toolGraderKind(_ type: GraderType, _ grader: inout GraderFields) -> GraderSpec.Kind? {
        let fields = grader.fields, document = grader.document
        let name: Template? = fields["name"] == nil ? nil : template("name", &grader)
        if fields["name"] != nil && name == nil { return nil }
        switch type {
        case .noToolCall:
            return .noToolCall(name: name)
        case .toolCallCount:
            let minimum = document.integer(fields, "min", atLeast: 0, log: &log)
            let maximum = document.integer(fields, "max", atLeast: 0, log: &log)
            if fields["min"] == nil && fields["max"] == nil {
                log.add(document.error("'tool-call-count' grader needs 'min', 'max' or both", at: fields.node))
                return nil
            }
            if let minimum, let maximum, minimum > maximum, let node = fields["max"] {
                log.add(document.error("'max' (\(maximum)) is less than 'min' (\(minimum))", at: node))
                return nil
            }
            return .toolCallCount(name: name, min: minimum, max: maximum)
        default:
            return toolCallArguments(&grader).map { .toolCall(ToolCallCheck(name: name, arguments: $0)) }
        }
    }

    /// At most one of `schema`/`schema_file`, `path` (with `equals` or `contains`) and `arguments`.
    private mutating func toolCallArguments(_ grader: inout GraderFields) -> ToolCallCheck.Arguments? {
        let fields = grader.fields, document = grader.document
        let given = ["schema", "schema_file", "path", "arguments"].filter { fields[$0] != nil }
        if given.count > 1, !(given == ["schema", "schema_file"]), let node = fields[given[1]] {
            log.add(document.error("give one check of the arguments: '\(given[0])' or '\(given[1])', not both", at: node))
            return nil
        }
        for key in ["equals", "contains"] where fields[key] != nil && fields["path"] == nil {
            if let node = fields[key] {
                log.add(document.error("'\(key)' needs 'path': the JSON path of the argument to compare (like $.city)",
                                       at: node))
            }
            return nil
        }
        if fields["schema"] != nil || fields["schema_file"] != nil {
            return schemaKind(fields, in: document).map(ToolCallCheck.Arguments.schema)
        }
        if let node = fields["path"] {
            guard let text = document.text(node, named: "path", log: &log) else { return nil }
            let path: JSONPath
            do {
                path = try JSONPath(parsing: text)
            } catch {
                log.add(document.error(error.message, at: node))
                return nil
            }
            switch (fields["equals"], fields["contains"]) {
            case (_?, let second?):
                log.add(document.error("give 'equals' or 'contains', not both", at: second))
                return nil
            case (_?, nil): return template("equals", &grader).map { .path(path, .equals($0)) }
            case (nil, _?): return template("contains", &grader).map { .path(path, .contains($0)) }
            case (nil, nil): return .path(path, .exists)
            }
        }
        if let node = fields["arguments"] {
            var value: JSONValue?
            switch node {
            case .mapping: value = YAMLDocument.jsonValue(node)
            case .scalar(let scalar):
                if let parsed = try? JSONTree.value(in: scalar.string), case .object = parsed.jsonValue {
                    value = parsed.jsonValue
                }
            default: break
            }
            guard let value, case .object = value else {
                log.add(document.error("'arguments' must be the exact arguments as a mapping (or a JSON object), got "
                                       + document.describe(node), at: node))
                return nil
            }
            return .exactly(value)
        }
        return .any
    }
}
