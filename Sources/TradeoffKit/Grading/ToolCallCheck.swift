/// What a `tool-call` grader asks of the calls a model made: a call of the tool named (any tool
/// when no name is given) whose arguments pass the check.
public struct ToolCallCheck: Sendable, Hashable {
    /// How a call's arguments are checked.
    public enum Arguments: Sendable, Hashable {
        /// Not checked.
        case any
        /// They validate against the JSON Schema.
        case schema(JSONSchema)
        /// The value at the path exists, equals or contains the expected value (as `json-path`).
        case path(JSONPath, JSONPathCheck)
        /// They are exactly this JSON (numbers by value, key order aside).
        case exactly(JSONValue)
    }

    /// The tool that must be called; nil for any.
    public var name: Template?
    /// The check of its arguments.
    public var arguments: Arguments

    /// Creates a check.
    public init(name: Template?, arguments: Arguments = .any) {
        self.name = name
        self.arguments = arguments
    }
}
