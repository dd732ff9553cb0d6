import Foundation

/// The response cache's key for a call: the SHA-256 of the request in a canonical form — the
/// wire format, the endpoint, the model, the messages, the parameters, the extra body fields and
/// headers, and the repeat index (so each of K repeats is its own sample, cached apart).
///
/// Never the API key: the same question to the same model is the same answer whoever pays. Not
/// `stream`, `timeout` or the price either: they change how an answer is measured or costed,
/// not what it is.
public enum RequestKey {
    private struct Canonical: Encodable {
        var version = 1
        var provider: String
        var baseURL: String
        var model: String
        var deployment: String?
        var apiVersion: String?
        var maxTokensField: String?
        var messages: [ChatMessage]
        var temperature: Double
        var maxTokens: Int
        var extraBody: [String: JSONValue]
        var extraHeaders: [String: String]
        var repeatIndex: Int
    }

    /// The key of `chat` sent to `model` as repeat `repeatIndex` of its case: 64 hex digits.
    public static func hash(_ chat: ChatRequest, model: ModelEntry, repeatIndex: Int) -> String {
        let canonical = Canonical(provider: model.provider.rawValue, baseURL: model.resolvedBaseURL ?? model.baseURL,
                                  model: model.model, deployment: model.deployment, apiVersion: model.apiVersion,
                                  maxTokensField: model.maxTokensField?.rawValue, messages: chat.messages,
                                  temperature: chat.temperature, maxTokens: chat.maxTokens, extraBody: model.extraBody,
                                  extraHeaders: model.extraHeaders, repeatIndex: repeatIndex)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and JSON values cannot fail.
        let bytes = (try? encoder.encode(canonical)) ?? Data()
        return SHA256.hash(bytes).description
    }
}
