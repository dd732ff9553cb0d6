/// A function the model may call, declared once in a suite (`tools:`) in a neutral form and
/// mapped to each provider's shape: OpenAI `tools[].function`, Anthropic `tools[]` with
/// `input_schema`, Gemini `functionDeclarations`.
public struct ToolSpec: Sendable, Hashable, Codable {
    /// The function's name (letters, digits, `_` and `-`, at most 64: what every provider accepts).
    public var name: String
    /// What the function does, for the model.
    public var description: String?
    /// The arguments as a JSON Schema object (`{type: object, properties: ...}`).
    public var parameters: JSONValue

    /// Creates a tool.
    public init(name: String, description: String? = nil, parameters: JSONValue = .object(["type": .string("object")])) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

/// Whether and which tool the model must call (`tool_choice:`).
public enum ToolChoice: Sendable, Hashable, Codable {
    /// The model decides (every provider's default).
    case auto
    /// The model must not call a tool (`none` in suites and on the wire; not named `none`,
    /// which an optional choice would confuse with nil).
    case never
    /// The model must call some tool.
    case required
    /// The model must call this tool.
    case tool(String)

    /// As written in a suite: `auto`, `none`, `required`, or the tool's name.
    public var text: String {
        switch self {
        case .auto: "auto"
        case .never: "none"
        case .required: "required"
        case .tool(let name): name
        }
    }
}
