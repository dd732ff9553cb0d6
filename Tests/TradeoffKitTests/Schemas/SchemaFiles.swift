import Foundation
import Testing
@testable import TradeoffKit

/// The repository's `schemas/` and the YAML files they describe.
enum SchemaFiles {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A schema of `schemas/`, compiled by the validator.
    static func schema(_ name: String) throws -> JSONSchema {
        let path = repository.appendingPathComponent("schemas/\(name)").path
        return try JSONSchema.document(try Data(contentsOf: URL(fileURLWithPath: path)), file: path)
    }

    /// A schema of `schemas/` as plain JSON objects, to read its declarations.
    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: repository.appendingPathComponent("schemas/\(name)"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// YAML text as the JSON value an editor's schema check sees: plain scalars as null,
    /// booleans and numbers when they read as such, quoted ones as strings.
    static func value(ofYAML text: String, file: String) throws -> JSONValue {
        let document = try YAMLDocument.parse(text, file: file).get()
        let root = try #require(document.root, "\(file) is empty")
        return SuiteLoader.Session.schemaSource(root).json
    }

    /// Every `.yaml` and `.yml` file under the repository's `suites/`, `examples/` and the test
    /// fixtures, with its kind as `validate` tells them apart; others (price name maps, CI
    /// workflows, fake provider configurations) are left out.
    static func inputs() throws -> (suites: [String], catalogs: [String]) {
        var suites: [String] = [], catalogs: [String] = []
        for folder in ["suites", "examples", "Tests/TradeoffKitTests/Fixtures"] {
            let base = repository.appendingPathComponent(folder).path
            guard let names = FileManager.default.enumerator(atPath: base) else { continue }
            // A fake provider's configuration has a `models:` list too, of simulated models.
            for case let name as String in names where (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
                && !name.hasSuffix(".fake-provider.yaml") {
                let path = base + "/" + name
                guard case .object(let members) = try value(ofYAML: try String(contentsOfFile: path, encoding: .utf8), file: path)
                else { continue }
                if members["suite"] != nil || members["tasks"] != nil {
                    suites.append(path)
                } else if case .array? = members["models"] {
                    catalogs.append(path)
                }
            }
        }
        return (suites.sorted(), catalogs.sorted())
    }

    /// The JSON object at `pointer` (keys from the root) in `schema`.
    static func object(_ schema: [String: Any], at pointer: [String]) -> [String: Any]? {
        var current: Any = schema
        for key in pointer {
            guard let object = current as? [String: Any], let next = object[key] else { return nil }
            current = next
        }
        return current as? [String: Any]
    }

    /// The pointers of every object schema that forbids unknown keys (`additionalProperties:
    /// false`): each must be one the tests compare with a loader's key list.
    static func closedObjects(in value: Any, at pointer: [String] = []) -> [[String]] {
        if let list = value as? [Any] {
            return list.enumerated().flatMap { closedObjects(in: $0.element, at: pointer + [String($0.offset)]) }
        }
        guard let object = value as? [String: Any] else { return [] }
        var found: [[String]] = []
        if object["additionalProperties"] as? Bool == false, object["properties"] != nil { found.append(pointer) }
        for (key, member) in object { found += closedObjects(in: member, at: pointer + [key]) }
        return found
    }

    /// The `enum` of the schema at `pointer`, as text.
    static func enumeration(_ schema: [String: Any], at pointer: [String]) -> [String]? {
        (object(schema, at: pointer)?["enum"] as? [Any])?.compactMap { $0 as? String }
    }
}
