import Foundation

/// A tool call a simulated model makes.
struct SimulatedCall: Sendable {
    var id: String
    var name: String
    /// The arguments, keys in the schema's order.
    var arguments: JSONValue
}

/// How a simulated model calls tools and fills a JSON Schema answer, from the request alone.
///
/// The right arguments are read off the prompt (the last user message): a property `p` takes
/// the value of a line `p: value` there (integers and numbers parsed as such). The right tool is
/// the one named by the tool choice, else the one with the most required properties that all
/// have such a line (the first among equals), else the first. Whether the model gets it right is drawn from the request's hash, as a
/// text answer's correctness is; a wrong model skips the call (when it may), calls another
/// tool, or gets one argument wrong.
enum ToolSimulation {
    /// The calls `model` makes for `request`; nil when it answers in text instead.
    static func calls(model: FakeProviderConfig.Model, request: GenerationRequest, hash: UInt64) -> [SimulatedCall]? {
        guard !request.tools.isEmpty, request.toolDemand != .never else { return nil }
        let prompt = request.messages.last { $0.role == "user" }?.content ?? ""
        let lines = fieldLines(in: prompt)
        let target: ToolShape
        switch request.toolDemand {
        case .named(let name): target = request.tools.first { $0.name == name } ?? request.tools[0]
        default:
            // The most specific tool the prompt gives every required field of; the first among equals.
            var best: (tool: ToolShape, required: Int)?
            for tool in request.tools {
                let required = tool.properties.filter(\.required)
                guard required.allSatisfy({ lines[$0.name] != nil }) else { continue }
                if required.count > (best?.required ?? -1) { best = (tool, required.count) }
            }
            target = best?.tool ?? request.tools[0]
        }
        let draw = Double((hash >> 8) % 1_000_000) / 1_000_000
        let id = "call_" + RandomID.hex(bytes: 8)
        if draw < model.accuracy {
            return [SimulatedCall(id: id, name: target.name, arguments: arguments(for: target, lines: lines, wrong: nil))]
        }
        let variation = hash >> 32
        switch variation % 3 {
        case 0 where request.toolDemand == .auto:
            return nil
        case 1 where request.tools.count > 1 && !(request.toolDemand.isNamed):
            let others = request.tools.filter { $0.name != target.name }
            let other = others[Int((variation >> 4) % UInt64(others.count))]
            return [SimulatedCall(id: id, name: other.name, arguments: arguments(for: other, lines: lines, wrong: nil))]
        default:
            return [SimulatedCall(id: id, name: target.name,
                                  arguments: arguments(for: target, lines: lines, wrong: variation >> 8))]
        }
    }

    /// The JSON answer `model` gives to a request for `schema`: right or wrong by its accuracy;
    /// unclosed when the model's structured output is `invalid`.
    static func structuredAnswer(model: FakeProviderConfig.Model, request: GenerationRequest, schema: ToolShape,
                                 hash: UInt64) -> String {
        let prompt = request.messages.last { $0.role == "user" }?.content ?? ""
        let draw = Double((hash >> 8) % 1_000_000) / 1_000_000
        let value = arguments(for: schema, lines: fieldLines(in: prompt), wrong: draw < model.accuracy ? nil : hash >> 32)
        let text = value.text
        return model.structuredOutput == .invalid ? String(text.dropLast()) : text
    }

    /// An object of `shape`'s properties from the prompt's `name: value` lines; with `wrong`, one
    /// property (picked by it) altered: a number off by one, a string missing a character.
    static func arguments(for shape: ToolShape, lines: [String: String], wrong: UInt64?) -> JSONValue {
        let present = shape.properties.filter { $0.required || lines[$0.name] != nil }
        let altered = wrong.map { present.isEmpty ? -1 : Int($0 % UInt64(present.count)) } ?? -1
        return .object(present.enumerated().map { index, property in
            let text = lines[property.name] ?? ""
            var value: JSONValue
            switch property.type {
            case "integer": value = Int(text).map(JSONValue.int) ?? .int(0)
            case "number": value = Double(text).map(JSONValue.double) ?? .int(0)
            case "boolean": value = .bool(text.lowercased() == "true" || text.lowercased() == "yes")
            default: value = .string(text)
            }
            if index == altered {
                switch value {
                case .int(let number): value = .int(number + 1)
                case .double(let number): value = .double(number + 1)
                case .bool(let flag): value = .bool(!flag)
                case .string(let string): value = .string(string.count > 1 ? String(string.dropLast()) : string + "x")
                default: break
                }
            }
            return (property.name, value)
        })
    }

    /// `name: value` lines of the prompt, by name (the first of a repeated one; empty values
    /// are no value).
    static func fieldLines(in prompt: String) -> [String: String] {
        var lines: [String: String] = [:]
        for line in prompt.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !name.contains(" "), !value.isEmpty, lines[name] == nil else { continue }
            lines[name] = value
        }
        return lines
    }
}

extension ToolDemand {
    var isNamed: Bool {
        if case .named = self { return true }
        return false
    }
}
