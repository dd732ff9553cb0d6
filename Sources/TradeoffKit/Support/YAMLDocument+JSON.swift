import Yams

extension YAMLDocument {
    /// A YAML value as JSON: plain scalars by their resolved type (null, booleans, integers,
    /// decimals), quoted ones as strings, mappings as objects. Nil for an alias, which JSON cannot
    /// say; the caller reports it at the node.
    static func jsonValue(_ node: Node) -> JSONValue? {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain && scalar.style != .any { return .string(scalar.string) }
            if isNull(scalar) { return .null }
            if let bool = node.bool { return .bool(bool) }
            if let int = Int(scalar.string) { return .integer(int) }
            if isDecimal(scalar.string), let double = Double(scalar.string) { return .number(double) }
            return .string(scalar.string)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for item in sequence {
                guard let value = jsonValue(item) else { return nil }
                items.append(value)
            }
            return .array(items)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard let name = scalarText(key), let json = jsonValue(value) else { return nil }
                object[name] = json
            }
            return .object(object)
        case .alias:
            return nil
        }
    }
}
