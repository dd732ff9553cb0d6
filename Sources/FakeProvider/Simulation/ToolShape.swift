import Foundation

/// A function a request declares, or the schema of the answer it asks for, reduced to what the
/// simulation reads: the name and the object's properties with their JSON types.
struct ToolShape: Sendable, Hashable {
    struct Property: Sendable, Hashable {
        var name: String
        /// `string`, `integer`, `number`, `boolean`, ...; `string` when the schema gives none.
        var type: String
        var required: Bool
    }

    var name: String
    /// The properties, required ones first, each group by name (JSON objects have no order).
    var properties: [Property]

    /// Reads a JSON Schema object; nil unless it is an object (`type: object` or `properties`).
    init?(name: String, schema: Any?) {
        guard let schema = schema as? [String: Any] else { return nil }
        let declared = schema["properties"] as? [String: Any] ?? [:]
        guard schema["type"] as? String == "object" || !declared.isEmpty else { return nil }
        let required = Set(schema["required"] as? [String] ?? [])
        self.name = name
        properties = declared.keys.map { key in
            Property(name: key, type: ((declared[key] as? [String: Any])?["type"] as? String) ?? "string",
                     required: required.contains(key))
        }.sorted { ($0.required ? 0 : 1, $0.name) < ($1.required ? 0 : 1, $1.name) }
    }

    init(name: String, properties: [Property]) {
        self.name = name
        self.properties = properties
    }
}

/// What a request says about calling its tools: OpenAI `tool_choice`, Anthropic
/// `tool_choice.type`, Gemini `functionCallingConfig.mode`.
enum ToolDemand: Sendable, Hashable {
    case auto
    case never
    case required
    case named(String)
}
