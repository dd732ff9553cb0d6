import Foundation
import Yams

/// A task's `tools:`, `tool_choice:` and `response_format:`, and the check that every model the
/// suite runs on can take its response format.
extension SuiteLoader.Session {
    static let toolKeys = ["tools", "tool_choice", "response_format"]
    static let toolSpecKeys = ["name", "description", "parameters"]
    static let responseFormatKeys = ["name", "schema"]

    /// What a task asks beyond text.
    struct TaskStructure {
        var tools: [ToolSpec] = []
        var toolChoice: ToolChoice?
        var responseFormat: ResponseFormat?
    }

    /// The task's tools, tool choice and response format; problems are reported and the broken
    /// parts left out.
    mutating func taskStructure(_ fields: YAMLFields, label: String, in document: YAMLDocument) -> TaskStructure {
        var structure = TaskStructure()
        if let node = fields["tools"] { structure.tools = tools(node, in: document) }
        if let node = fields["tool_choice"], let text = document.text(node, named: "tool_choice", log: &log) {
            let names = structure.tools.map(\.name)
            switch text {
            case _ where fields["tools"] == nil:
                // OpenAI refuses a tool choice without tools.
                log.add(document.error("'tool_choice: \(text)' needs 'tools': declare the functions the model may call",
                                       at: node))
            case "auto": structure.toolChoice = .auto
            case "none": structure.toolChoice = .never
            case "required": structure.toolChoice = .required
            default:
                if names.contains(text) {
                    structure.toolChoice = .tool(text)
                } else if !names.isEmpty {  // With no tool left, the tools' own errors say why.
                    var hint = Suggestions.hint(for: text, among: ["auto", "none", "required"] + names)
                    if !hint.contains("did you mean") { hint = "" }
                    log.add(document.error("'tool_choice' must be auto, none, required or the name of one of the "
                                           + "task's tools (\(Suggestions.list(names.map { "'\($0)'" }))), got '\(text)'"
                                           + hint, at: node))
                }
            }
        }
        if let node = fields["response_format"] { structure.responseFormat = responseFormat(node, in: document) }
        return structure
    }

    /// `tools:`, a list of `{name, description, parameters}`, names unique.
    private mutating func tools(_ node: Node, in document: YAMLDocument) -> [ToolSpec] {
        guard case .sequence(let items) = node, !items.isEmpty else {
            log.add(document.error("'tools' must be a list of {name, description, parameters}, got "
                                   + document.describe(node), at: node))
            return []
        }
        var tools: [ToolSpec] = []
        var lines: [String: Int] = [:]
        for item in items {
            guard let fields = document.fields(of: item, in: "tool", allowed: Self.toolSpecKeys, required: ["name"],
                                               log: &log),
                  let nameNode = fields["name"], let name = functionName(nameNode, key: "name", in: document)
            else { continue }
            if let line = lines[name] {
                log.add(document.error("duplicate tool name '\(name)' (first at line \(line))", at: nameNode))
                continue
            }
            lines[name] = nameNode.mark?.line ?? 0
            let description = document.text(fields, "description", log: &log)
            var parameters: JSONValue = .object(["type": .string("object"), "properties": .object([:])])
            if let node = fields["parameters"] {
                guard let schema = objectSchema(node, key: "parameters", in: document) else { continue }
                parameters = schema
            }
            tools.append(ToolSpec(name: name, description: description, parameters: parameters))
        }
        return tools
    }

    /// `response_format: {name, schema}`.
    private mutating func responseFormat(_ node: Node, in document: YAMLDocument) -> ResponseFormat? {
        guard let fields = document.fields(of: node, in: "'response_format'", allowed: Self.responseFormatKeys,
                                           required: ["name", "schema"], log: &log),
              let nameNode = fields["name"], let schemaNode = fields["schema"] else { return nil }
        let name = functionName(nameNode, key: "name", in: document)
        let schema = objectSchema(schemaNode, key: "schema", in: document)
        guard let name, let schema else { return nil }
        return ResponseFormat(name: name, schema: schema)
    }

    /// A name every provider accepts for a function or a schema: 1 to 64 of `A-Z a-z 0-9 _ -`.
    private mutating func functionName(_ node: Node, key: String, in document: YAMLDocument) -> String? {
        guard let name = document.text(node, named: key, log: &log) else { return nil }
        let allowed = name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard allowed, (1...64).contains(name.utf8.count) else {
            log.add(document.error("'\(key)' must be 1 to 64 letters, digits, '_' or '-' (what every provider accepts), "
                                   + "got '\(name)'", at: node))
            return nil
        }
        return name
    }

    /// A JSON Schema of an object, as a YAML mapping with `type: object`.
    private mutating func objectSchema(_ node: Node, key: String, in document: YAMLDocument) -> JSONValue? {
        guard case .mapping = node else {
            log.add(document.error("'\(key)' must be a JSON Schema mapping like {type: object, properties: {...}}, got "
                                   + document.describe(node), at: node))
            return nil
        }
        guard let value = YAMLDocument.jsonValue(node) else {
            log.add(document.error("aliases are not supported in '\(key)'", at: node))
            return nil
        }
        guard case .object(let members) = value, members["type"] == .string("object") else {
            log.add(document.error("'\(key)' must describe an object (add 'type: object'): providers take only objects "
                                   + "as arguments and structured answers", at: node))
            return nil
        }
        return value
    }

    /// A task with `response_format` on a model whose host cannot constrain its answer is an
    /// error at the task's `response_format`, rather than a plain call graded as if it were
    /// constrained.
    mutating func checkStructuredOutput(_ tasks: [DecodedTask], models: [ModelEntry], in document: YAMLDocument) {
        for task in tasks {
            guard let node = task.responseFormatNode, task.task.responseFormat != nil else { continue }
            let refused = models.filter { $0.resolvedStructuredOutput == .none }
            guard !refused.isEmpty else { continue }
            let ids = Suggestions.list(refused.map { "'\($0.id)'" }, conjunction: "and")
            let unset = refused.filter { $0.structuredOutput == nil }.map { "'\($0.id)'" }
            let declared = refused.filter { $0.structuredOutput != nil }.map { "'\($0.id)'" }
            let why = [unset.isEmpty ? nil : "\(Suggestions.list(unset, conjunction: "and")): a generic OpenAI-compatible "
                           + "server may ignore it and answer in prose",
                       declared.isEmpty ? nil : "\(Suggestions.list(declared, conjunction: "and")): the catalog says "
                           + "'structured_output: none'"].compactMap { $0 }.joined(separator: "; ")
            log.add(document.error("task '\(task.task.id)' has 'response_format', which \(ids) cannot take (\(why)); set "
                                   + "'structured_output: json_schema' (or 'ollama') in the catalog entry if the host "
                                   + "supports it, or leave the model out with 'only:'", at: node))
        }
    }
}
