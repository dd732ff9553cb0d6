import Foundation
import NIOHTTP1

/// Turns one HTTP request into one reply: routing, authentication, validation and the simulated
/// answer. Pure apart from the clock and random ids, so the server's handler only does I/O.
struct Responder: Sendable {
    /// A request, fully read.
    struct Request: Sendable {
        var method: HTTPMethod
        /// The request target, possibly with a query string.
        var uri: String
        /// The `Authorization` header, if sent.
        var authorization: String?
        var body: [UInt8]
        /// True when the body exceeded ``Responder/maxBodyBytes`` and was dropped.
        var bodyTooLarge = false
    }

    /// What to send back, and when.
    struct Reply: Sendable {
        var status: HTTPResponseStatus
        /// JSON bytes.
        var body: [UInt8]
        /// Extra headers besides content type, length and request id.
        var headers: [(String, String)] = []
        /// Milliseconds to wait before sending.
        var delayMs = 0
        /// The `model` the request body named, for the request counts; nil if it named none.
        var model: String?
    }

    /// Bodies above this are refused with 413; real prompts are far smaller.
    static let maxBodyBytes = 8 << 20

    let config: FakeProviderConfig

    private enum Route {
        case chatCompletions, models
    }

    func respond(to request: Request) -> Reply {
        let path = Self.path(of: request.uri)
        let route: Route
        switch path {
        case "/v1/chat/completions", "/chat/completions": route = .chatCompletions
        case "/v1/models", "/models": route = .models
        default:
            return reply(APIError(status: .notFound, message: "Invalid URL (\(request.method.rawValue) \(path))",
                                  type: "invalid_request_error", code: "unknown_url"))
        }
        let allowed: HTTPMethod = route == .chatCompletions ? .POST : .GET
        guard request.method == allowed else {
            var error = reply(APIError(
                status: .methodNotAllowed,
                message: "Invalid method for URL (\(request.method.rawValue) \(path)): use \(allowed.rawValue).",
                type: "invalid_request_error", code: "method_not_allowed"))
            error.headers.append(("allow", allowed.rawValue))
            return error
        }
        switch route {
        case .models: return authenticationFailure(request) ?? models()
        case .chatCompletions: return chatCompletion(request)
        }
    }

    private func chatCompletion(_ request: Request) -> Reply {
        if request.bodyTooLarge {
            return reply(APIError(status: .payloadTooLarge,
                                  message: "The request body is larger than \(Self.maxBodyBytes) bytes.",
                                  type: "invalid_request_error", code: "request_too_large"))
        }
        let object: [String: Any]
        switch ChatRequest.object(from: request.body) {
        case .success(let value): object = value
        case .failure(let error): return authenticationFailure(request) ?? reply(error)
        }
        // Counted before authentication, so tests see every call a client made, whatever its fate.
        let named = object["model"] as? String
        var result = authenticationFailure(request) ?? validChatCompletion(object)
        result.model = named
        return result
    }

    private func validChatCompletion(_ object: [String: Any]) -> Reply {
        let chat: ChatRequest
        switch ChatRequest.decode(object) {
        case .success(let value): chat = value
        case .failure(let error): return reply(error)
        }
        guard let model = config.model(named: chat.model) else {
            let known = config.models.map(\.name).joined(separator: ", ")
            return reply(APIError(
                status: .notFound,
                message: "The model `\(chat.model)` does not exist or you do not have access to it. "
                    + "Known models: \(known).",
                type: "invalid_request_error", param: "model", code: "model_not_found"))
        }
        let outcome = Simulator.outcome(model: model, messages: chat.messages)
        var answer = outcome.answer
        var finishReason = "stop"
        if let maxTokens = chat.maxTokens, TokenCount.completion(answer) > maxTokens {
            answer = String(answer.prefix(maxTokens * TokenCount.charactersPerToken))
            finishReason = "length"
        }
        let promptTokens = TokenCount.prompt(chat.messages)
        let completionTokens = TokenCount.completion(answer)
        let completion = ChatCompletion(
            id: "chatcmpl-" + Self.randomHex(bytes: 12),
            created: Int(Date().timeIntervalSince1970),
            model: chat.model,
            choices: [.init(index: 0, message: .init(role: "assistant", content: answer), finishReason: finishReason)],
            usage: .init(promptTokens: promptTokens, completionTokens: completionTokens,
                         totalTokens: promptTokens + completionTokens))
        return Reply(status: .ok, body: Self.encode(completion),
                     headers: [("openai-processing-ms", String(outcome.delayMs))], delayMs: outcome.delayMs)
    }

    private func models() -> Reply {
        // A fixed date, so the listing is the same on every run.
        let list = ModelList(data: config.models.map { .init(id: $0.name, created: 1_735_689_600) })
        return Reply(status: .ok, body: Self.encode(list))
    }

    /// The 401 for a missing or wrong key; nil when the key is right or none is required.
    /// The message never repeats what was sent.
    private func authenticationFailure(_ request: Request) -> Reply? {
        guard let key = config.apiKey else { return nil }
        let sent = request.authorization.flatMap(Self.bearerToken(in:))
        if sent == key { return nil }
        let message = sent == nil
            ? "You didn't provide an API key. Send it in the Authorization header as 'Bearer KEY'."
            : "Incorrect API key provided."
        var failure = reply(APIError(status: .unauthorized, message: message, type: "invalid_request_error",
                                     code: "invalid_api_key"))
        failure.headers.append(("www-authenticate", "Bearer"))
        return failure
    }

    private func reply(_ error: APIError) -> Reply {
        Reply(status: error.status, body: Self.encode(error))
    }

    private static func bearerToken(in authorization: String) -> String? {
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The path without query string and trailing slash.
    private static func path(of uri: String) -> String {
        var path = String(uri.prefix { $0 != "?" && $0 != "#" })
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    static func randomHex(bytes: Int) -> String {
        (0..<bytes).map { _ in
            let byte = UInt8.random(in: .min ... .max)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }

    private static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain structs cannot fail.
        return Array((try? encoder.encode(value)) ?? Data())
    }
}
