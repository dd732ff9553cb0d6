/// A model's answer as read off the provider's response.
public struct ProviderReply: Sendable, Hashable {
    /// The answer text.
    public var text: String
    /// The tools the model called, in order; empty when it called none.
    public var toolCalls: [ToolCall] = []
    /// Token usage, reported by the provider or estimated when it sent none.
    public var usage: Usage
    /// The finish reason, normalized across providers.
    public var finish: FinishReason?
    /// The finish reason as the provider sent it (`stop`, `end_turn`, `MAX_TOKENS`, ...).
    public var finishReasonRaw: String?
    /// The model that actually served the call, as the provider names it.
    public var servedModel: String?
    /// Who served it, when a router says (OpenRouter's `provider`).
    public var servingProvider: String?
    /// The provider's request id (response header or body), for support tickets.
    public var requestID: String?
    /// The charge the provider reported, in micro-dollars (OpenRouter `usage.cost`,
    /// LiteLLM's `x-litellm-response-cost`).
    public var reportedCostMicros: Int64?
    /// Streaming only: seconds from the start of the transfer to the first content token.
    public var firstContentSeconds: Double?
    /// Streaming only: seconds from the start of the transfer to the last chunk.
    public var lastChunkSeconds: Double?
    /// The answer's token logprobs, when the request asked for them (`ChatRequest.logprobs`)
    /// and the reply carried any; nil otherwise.
    public var logprobs: Logprobs?

    public init(text: String, usage: Usage, finish: FinishReason? = nil, finishReasonRaw: String? = nil,
                servedModel: String? = nil, servingProvider: String? = nil, requestID: String? = nil,
                reportedCostMicros: Int64? = nil, firstContentSeconds: Double? = nil, lastChunkSeconds: Double? = nil) {
        self.text = text
        self.usage = usage
        self.finish = finish
        self.finishReasonRaw = finishReasonRaw
        self.servedModel = servedModel
        self.servingProvider = servingProvider
        self.requestID = requestID
        self.reportedCostMicros = reportedCostMicros
        self.firstContentSeconds = firstContentSeconds
        self.lastChunkSeconds = lastChunkSeconds
    }

    /// Streamed answer tokens per second: the output tokens without the reasoning ones, between
    /// the first content token and the last chunk, when streamed over a measurable span.
    ///
    /// Reasoning tokens are generated before the first content token (and often not streamed at
    /// all), so counting them over the content window would credit a reasoning model with
    /// thousands of tokens a second; the visible answer over its own window is measured alike
    /// for every model.
    public var outputTokensPerSecond: Double? {
        guard let first = firstContentSeconds, let last = lastChunkSeconds, last - first > 0.000_5 else { return nil }
        let visible = usage.outputTokens - min(max(0, usage.reasoningTokens), usage.outputTokens)
        guard visible > 0 else { return nil }
        return Double(visible) / (last - first)
    }
}

/// Why a model stopped, normalized across providers.
public enum FinishReason: String, Sendable, Hashable, Codable {
    /// A natural end or a stop sequence.
    case stop
    /// The output token limit (or the context window) cut the answer.
    case length
    /// The provider refused or filtered the answer.
    case contentFilter = "content_filter"
    /// The model called a tool.
    case toolCalls = "tool_calls"
    /// The provider ended the answer with an error.
    case error
    /// Anything else.
    case other

    /// Maps a provider's own value: OpenAI's `stop`/`length`/`content_filter`, Anthropic's
    /// `end_turn`/`max_tokens`/`refusal`, Gemini's `STOP`/`MAX_TOKENS`/`SAFETY`, ...
    public init(raw: String) {
        switch raw.lowercased() {
        case "stop", "end_turn", "stop_sequence", "eos", "finish_reason_unspecified": self = .stop
        case "length", "max_tokens", "model_context_window_exceeded": self = .length
        case "content_filter", "refusal", "safety", "recitation", "blocklist", "prohibited_content", "spii",
             "image_safety", "language":
            self = .contentFilter
        case "tool_calls", "tool_use", "function_call", "malformed_function_call": self = .toolCalls
        case "error": self = .error
        default: self = .other
        }
    }
}
