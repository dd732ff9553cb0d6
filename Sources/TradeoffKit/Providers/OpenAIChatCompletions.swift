import Foundation

/// The OpenAI Chat Completions wire format (`POST {base_url}/chat/completions`), as spoken by
/// OpenAI-compatible servers: vLLM, Ollama, LiteLLM proxy, OpenRouter, Together, Groq, ...
public enum OpenAIChatCompletions {
    struct Body: Encodable {
        var model: String
        var messages: [ChatMessage]
        var temperature: Double
        // `max_tokens`: the field every OpenAI-compatible server reads (Ollama reads only this).
        var max_tokens: Int
        var stream = false
    }

    /// The HTTP request for `chat` on `model`.
    ///
    /// - Parameter apiKey: sent as `Authorization: Bearer`; nil sends no Authorization header.
    public static func request(for chat: ChatRequest, model: ModelEntry, apiKey: String?) -> HTTPRequest {
        var base = model.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        var headers = [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/json")]
        if let apiKey { headers.append(HTTPHeader("Authorization", "Bearer \(apiKey)")) }
        let body = Body(model: model.model, messages: chat.messages, temperature: chat.temperature,
                        max_tokens: chat.maxTokens)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and numbers cannot fail.
        let data = try! encoder.encode(body)
        return HTTPRequest(method: "POST", url: base + "/chat/completions", headers: headers, body: data,
                           timeout: model.timeoutSeconds)
    }

    struct Response: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            var message: Message?
            var finish_reason: String?
        }
        struct UsageBlock: Decodable {
            struct PromptDetails: Decodable { var cached_tokens: Int? }
            var prompt_tokens: Int?
            var completion_tokens: Int?
            var prompt_tokens_details: PromptDetails?
        }
        var id: String?
        var model: String?
        var choices: [Choice]?
        var usage: UsageBlock?
    }

    struct ErrorBody: Decodable {
        struct Detail: Decodable { var message: String? }
        var error: Detail?
    }

    /// Reads the model's reply from `response`, or the error it carries.
    public static func reply(to chat: ChatRequest, from response: HTTPResponse) -> Result<ProviderReply, CallError> {
        let requestID = response.headers["x-request-id"]
        guard (200..<300).contains(response.status) else {
            let message = errorMessage(in: response.body)
            return .failure(CallError(CallError.kind(forStatus: response.status), message,
                                      httpStatus: response.status, requestID: requestID))
        }
        let decoded: Response
        do {
            decoded = try JSONDecoder().decode(Response.self, from: response.body)
        } catch {
            return .failure(CallError(.malformedResponse, "response body is not a chat completion: \(snippet(of: response.body))",
                                      httpStatus: response.status, requestID: requestID))
        }
        guard let choice = decoded.choices?.first, let content = choice.message?.content else {
            return .failure(CallError(.malformedResponse, "response has no choices[0].message.content",
                                      httpStatus: response.status, requestID: requestID ?? decoded.id))
        }
        let usage: Usage
        if let block = decoded.usage, let input = block.prompt_tokens, let output = block.completion_tokens {
            usage = Usage(inputTokens: input, cachedInputTokens: block.prompt_tokens_details?.cached_tokens ?? 0,
                          outputTokens: output, source: .reported)
        } else {
            usage = .estimated(for: chat, answer: content)
        }
        return .success(ProviderReply(text: content, usage: usage, finishReason: choice.finish_reason,
                                      servedModel: decoded.model, requestID: requestID ?? decoded.id))
    }

    /// The provider's `error.message`, else the start of the body.
    static func errorMessage(in body: Data) -> String {
        if let decoded = try? JSONDecoder().decode(ErrorBody.self, from: body), let message = decoded.error?.message {
            return message
        }
        return body.isEmpty ? "empty response body" : snippet(of: body)
    }

    static func snippet(of body: Data) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return body.count > 200 ? text + "…" : text
    }
}
