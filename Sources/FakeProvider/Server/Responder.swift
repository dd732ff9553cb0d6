import Dispatch
import Foundation
import NIOHTTP1

/// Turns one HTTP request into one ``Reply``: routing, authentication, validation, the simulated
/// answer and the injected faults, in whichever wire format the path asks for.
struct Responder: Sendable {
    /// A request, fully read.
    struct Request: Sendable {
        var method: HTTPMethod
        /// The request target, possibly with a query string.
        var uri: String
        var headers: HTTPHeaders
        var body: [UInt8]
        /// True when the body exceeded ``Responder/maxBodyBytes`` and was dropped.
        var bodyTooLarge = false
    }

    /// Bodies above this are refused with 413; real prompts are far smaller.
    static let maxBodyBytes = 8 << 20

    let config: FakeProviderConfig
    let ledger: RequestLedger
    let office: BatchOffice

    private enum Route {
        case generation(any WireFormat)
        case models
        case stats
    }

    func respond(to request: Request) -> Reply {
        let (path, query) = Self.split(request.uri)
        if let reply = batchReply(to: request, path: path, query: query)
            ?? anthropicBatchReply(to: request, path: path, query: query)
            ?? geminiBatchReply(to: request, path: path, query: query) { return reply }
        guard let route = Self.route(path: path, query: query) else {
            return openAIError(.init(kind: .notFound, status: .notFound,
                                     message: "Invalid URL (\(request.method.rawValue) \(path))",
                                     code: "unknown_url"))
        }
        let allowed: HTTPMethod = if case .generation = route { .POST } else { .GET }
        guard request.method == allowed else {
            var error = ProviderError(kind: .invalidRequest, status: .methodNotAllowed,
                                      message: "Invalid method for URL (\(request.method.rawValue) \(path)): use \(allowed.rawValue).",
                                      code: "method_not_allowed")
            error.headers.append(("allow", allowed.rawValue))
            return openAIError(error)
        }
        switch route {
        case .generation(let format): return generate(request, format: format)
        case .stats: return Self.json(ledger.stats(models: config.models.map(\.name)))
        case .models:
            if let error = authenticationError(request, format: OpenAIFormat()) { return openAIError(error) }
            // A fixed date, so the listing is the same on every run.
            let list: JSONValue = ["object": "list", "data": .array(config.models.map {
                ["id": .string($0.name), "object": "model", "created": 1_735_689_600, "owned_by": "fake-provider"]
            })]
            return Self.json(list)
        }
    }

    /// The route for a path, or nil for an unknown one.
    private static func route(path: String, query: [String: String]) -> Route? {
        switch path {
        case "/v1/chat/completions", "/chat/completions": return .generation(OpenAIFormat())
        case "/v1/messages": return .generation(AnthropicFormat())
        case "/v1/models", "/models": return .models
        case "/_fake/stats": return .stats
        default: break
        }
        let azurePrefix = "/openai/deployments/", azureSuffix = "/chat/completions"
        if path.hasPrefix(azurePrefix), path.hasSuffix(azureSuffix),
           path.count > azurePrefix.count + azureSuffix.count {
            let encoded = path.dropFirst(azurePrefix.count).dropLast(azureSuffix.count)
            guard let deployment = encoded.removingPercentEncoding else { return nil }
            return .generation(AzureFormat(deployment: deployment, apiVersion: query["api-version"]))
        }
        for prefix in ["/v1beta/models/", "/v1/models/"] where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            guard let colon = rest.lastIndex(of: ":"),
                  let model = rest[..<colon].removingPercentEncoding, !model.isEmpty else { return nil }
            let stream: Bool
            switch rest[rest.index(after: colon)...] {
            case "generateContent": stream = false
            case "streamGenerateContent": stream = true
            default: return nil
            }
            return .generation(GeminiFormat(model: model, stream: stream, sse: query["alt"] == "sse",
                                            queryKey: query["key"]))
        }
        return nil
    }

    private func generate(_ request: Request, format: any WireFormat) -> Reply {
        let requestID = "req_" + RandomID.hex(bytes: 16)
        func failure(_ error: ProviderError, delayMs: Int = 0) -> Reply {
            var reply = Self.json(format.errorBody(error, requestID: requestID), status: error.status,
                                  contentType: format.jsonContentType)
            reply.headers += [(format.requestIDHeader, requestID)] + error.headers
            reply.delayMs = delayMs
            return reply
        }
        if request.bodyTooLarge { return failure(.tooLarge(limit: Self.maxBodyBytes)) }
        let parsed = try? JSONSerialization.jsonObject(with: Data(request.body), options: [.fragmentsAllowed])
        let body = parsed as? [String: Any]
        // Counted before authentication, so tests see every call a client made, whatever its fate.
        if let named = format.modelName(in: body ?? [:]) { ledger.record(model: named) }
        if let error = authenticationError(request, format: format) { return failure(error) }
        guard let body else { return failure(.invalidJSON(wasJSON: parsed != nil)) }
        if let error = format.precondition(request) { return failure(error) }
        let generationRequest: GenerationRequest
        switch format.decode(body) {
        case .success(let value): generationRequest = value
        case .failure(let error): return failure(error)
        }
        guard let model = config.model(named: generationRequest.model) else {
            return failure(format.modelNotFound(generationRequest.model, known: config.models.map(\.name)))
        }

        // Limits come first, as at a real provider: a refused request draws no fault.
        var limitHeaders: [(String, String)] = []
        var onDone: (@Sendable () -> Void)?
        if let limits = model.limits {
            let tokens = TokenCount.prompt(generationRequest.messages) + (generationRequest.outputLimit(for: model.flavor) ?? 0)
            let (status, refused) = ledger.admit(model: model.name, limits: limits, tokens: tokens,
                                                 now: DispatchTime.now().uptimeNanoseconds)
            limitHeaders = format.rateLimitHeaders(status)
            if let refused {
                // Over the concurrency limit, a slot frees within about one answer's time.
                let waitMs = refused == .concurrency ? max(20, model.latencyMs) : status.resetMs
                var error = format.faultError(.rateLimit, variant: 0, retryAfterMs: waitMs)
                error.message = "Rate limit reached (\(refused.rawValue)). Please try again in \(waitMs)ms."
                error.headers += limitHeaders
                return failure(error)
            }
            let ledger = self.ledger, name = model.name
            onDone = { ledger.leave(model: name) }
        }

        let generation = Generation(model: model, request: generationRequest, answerKey: config.answerKey)
        let faults = config.faults(for: model)
        let attempt = ledger.nextAttempt(model: model.name, body: request.body)
        let plan = FaultPlan.draw(faults, model: model.name, body: request.body, attempt: attempt,
                                  streaming: generationRequest.stream)
        ledger.record(plan, model: model.name)

        var reply: Reply
        switch plan.failure {
        case .reset?:
            reply = Reply(status: .ok, headers: [], body: .reset, delayMs: plan.slowFirstByteMs)
        case .hang?:
            reply = Reply(status: .ok, headers: [], body: .hang)
        case let kind? where kind == .rateLimit || kind == .serverError || kind == .overloaded:
            reply = failure(format.faultError(kind, variant: plan.variant, retryAfterMs: faults.retryAfterMs),
                            delayMs: plan.slowFirstByteMs)
        default:
            reply = answer(generation, plan: plan, format: format, requestID: requestID)
        }
        reply.headers += limitHeaders
        reply.onDone = onDone
        return reply
    }

    /// The 401 for a missing or wrong key in `format`'s header; nil when the key is right or
    /// none is required.
    func authenticationError(_ request: Request, format: any WireFormat) -> ProviderError? {
        guard let key = config.apiKey else { return nil }
        let sent = format.apiKey(in: request)
        return sent == key ? nil : format.authenticationError(keySent: sent != nil)
    }

    /// An error outside any model's format (unknown path, wrong method, model list), in OpenAI's shape.
    func openAIError(_ error: ProviderError) -> Reply {
        let requestID = "req_" + RandomID.hex(bytes: 16)
        var reply = Self.json(OpenAIFormat().errorBody(error, requestID: requestID), status: error.status)
        reply.headers += [("x-request-id", requestID)] + error.headers
        return reply
    }

    static func json(_ value: JSONValue, status: HTTPResponseStatus = .ok,
                             contentType: String = "application/json") -> Reply {
        Reply(status: status, headers: [("content-type", contentType)], body: .complete(value.bytes))
    }

    /// The path (without trailing slashes) and the query parameters, percent-decoded.
    private static func split(_ uri: String) -> (path: String, query: [String: String]) {
        let withoutFragment = uri.prefix { $0 != "#" }
        let parts = withoutFragment.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var path = String(parts[0])
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(keyValue[0]).removingPercentEncoding ?? String(keyValue[0])
                let value = keyValue.count > 1 ? String(keyValue[1]) : ""
                query[key] = value.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? value
            }
        }
        return (path, query)
    }
}
