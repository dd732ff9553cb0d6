import Foundation
import Yams

/// The provider-related keys of a catalog entry: which wire format, which host preset, how
/// to call it (streaming, extra body fields and headers, Azure's deployment and version).
extension CatalogLoader {
    static let providerKeys = ["preset", "stream", "extra", "headers", "api_version", "deployment", "max_tokens_field",
                               "structured_output"]

    /// Settings decoded from a model entry's provider keys.
    struct ProviderSettings {
        var preset: ProviderPreset?
        var stream = true
        var extraBody: [String: JSONValue] = [:]
        var extraHeaders: [String: String] = [:]
        var apiVersion: String?
        var deployment: String?
        var maxTokensField: MaxTokensField?
        var structuredOutput: StructuredOutput?
    }

    /// Decodes the provider keys of an entry whose `provider` is `provider`.
    func providerSettings(_ fields: YAMLFields, provider: ProviderKind, in document: YAMLDocument,
                          log: inout DiagnosticLog) -> ProviderSettings {
        var settings = ProviderSettings()
        if let node = fields["preset"], let text = document.text(node, named: "preset", log: &log) {
            if let preset = ProviderPreset(rawValue: text) {
                if provider == .openAICompatible {
                    settings.preset = preset
                } else {
                    log.add(document.error("'preset' applies to provider 'openai-compatible' only, not '\(provider.rawValue)'", at: node))
                }
            } else {
                let hint = Suggestions.hint(for: text, among: ProviderPreset.allCases.map(\.rawValue))
                log.add(document.error("unknown preset '\(text)'\(hint)", at: node))
            }
        }
        settings.stream = document.bool(fields, "stream", log: &log) ?? true
        if let node = fields["extra"] {
            if case .mapping(let mapping) = node {
                for (key, value) in mapping {
                    guard let name = YAMLDocument.scalarText(key) else { continue }
                    if let json = jsonValue(value, in: document, log: &log) { settings.extraBody[name] = json }
                }
            } else {
                log.add(document.error("'extra' must be a mapping of request fields, got \(document.describe(node))", at: node))
            }
        }
        if let node = fields["headers"] {
            if case .mapping(let mapping) = node {
                for (key, value) in mapping {
                    guard let name = YAMLDocument.scalarText(key), let text = YAMLDocument.scalarText(value) else {
                        log.add(document.error("'headers' values must be text", at: value))
                        continue
                    }
                    if ["authorization", "x-api-key", "api-key", "x-goog-api-key"].contains(name.lowercased()) {
                        log.add(document.error("header '\(name)' carries a key: set 'api_key_env' to the NAME of the "
                                               + "environment variable instead; keys never go in files", at: key))
                        continue
                    }
                    settings.extraHeaders[name] = text
                }
            } else {
                log.add(document.error("'headers' must be a mapping of header names to values, got \(document.describe(node))", at: node))
            }
        }
        settings.apiVersion = document.text(fields, "api_version", log: &log)
        settings.deployment = document.text(fields, "deployment", log: &log)
        if (settings.apiVersion != nil || settings.deployment != nil) && provider != .azureOpenAI {
            let key = settings.apiVersion != nil ? "api_version" : "deployment"
            log.add(document.error("'\(key)' applies to provider 'azure-openai' only", at: fields[key]!))
        }
        if let node = fields["max_tokens_field"], let text = document.text(node, named: "max_tokens_field", log: &log) {
            settings.maxTokensField = MaxTokensField(rawValue: text)
            if settings.maxTokensField == nil {
                log.add(document.error("'max_tokens_field' must be max_tokens or max_completion_tokens, got '\(text)'", at: node))
            }
        }
        if let node = fields["structured_output"], let text = document.text(node, named: "structured_output", log: &log) {
            settings.structuredOutput = StructuredOutput(rawValue: text)
            if settings.structuredOutput == nil {
                let hint = Suggestions.hint(for: text, among: StructuredOutput.allCases.map(\.rawValue))
                log.add(document.error("'structured_output' must be json_schema, ollama or none, got '\(text)'\(hint)",
                                       at: node))
            } else if settings.structuredOutput == .ollama && provider != .openAICompatible {
                log.add(document.error("'structured_output: ollama' applies to provider 'openai-compatible' only "
                                       + "(an Ollama server), not '\(provider.rawValue)'", at: node))
            }
        }
        return settings
    }

    /// A YAML value as JSON: plain scalars by their resolved type, quoted ones as strings.
    private func jsonValue(_ node: Node, in document: YAMLDocument, log: inout DiagnosticLog) -> JSONValue? {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain && scalar.style != .any { return .string(scalar.string) }
            if YAMLDocument.isNull(scalar) { return .null }
            if let bool = node.bool { return .bool(bool) }
            if let int = Int(scalar.string) { return .integer(int) }
            if YAMLDocument.isDecimal(scalar.string), let double = Double(scalar.string) { return .number(double) }
            return .string(scalar.string)
        case .sequence(let sequence):
            return .array(sequence.compactMap { jsonValue($0, in: document, log: &log) })
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard let name = YAMLDocument.scalarText(key) else { continue }
                if let json = jsonValue(value, in: document, log: &log) { object[name] = json }
            }
            return .object(object)
        case .alias:
            log.add(document.error("aliases are not supported in 'extra'", at: node))
            return nil
        }
    }
}
