/// Token counts of one call, in the parts that are priced differently.
///
/// Providers count differently (see PROVIDERS.md): OpenAI's `prompt_tokens` includes cached
/// reads, Anthropic's `input_tokens` excludes cache reads and writes, Gemini's output is
/// candidates + thoughts. Each provider's parser maps its counts into these parts.
public struct Usage: Sendable, Hashable, Codable {
    /// Where the numbers came from.
    public enum Source: String, Sendable, Hashable, Codable {
        /// Read off the provider's response.
        case reported
        /// The provider sent none: estimated at about 4 characters per token.
        case estimated
    }

    /// Input tokens billed at the normal input price: neither read from nor written to a cache.
    public var uncachedInputTokens: Int
    /// Input tokens read from the provider's prompt cache.
    public var cacheReadTokens: Int
    /// Input tokens written to the provider's prompt cache (Anthropic bills these apart), for
    /// five minutes or for an hour.
    public var cacheWriteTokens: Int
    /// The part of `cacheWriteTokens` written to the 1-hour cache (Anthropic bills it at 2× input,
    /// the 5-minute writes at 1.25×).
    public var cacheWrite1hTokens: Int
    /// Output tokens billed, reasoning included.
    public var outputTokens: Int
    /// The reasoning (thinking) part of `outputTokens`.
    public var reasoningTokens: Int
    public var source: Source
    /// Why the usage (or the charge) the provider reported was set aside for this estimate: it
    /// could not be true of the request (negative, more output than `max_tokens` allows, ...) or
    /// could not be read. Nil when the provider's numbers were used, or when it sent none.
    public var untrustedReason: String?

    /// Creates usage from its parts.
    public init(uncachedInputTokens: Int, cacheReadTokens: Int = 0, cacheWriteTokens: Int = 0,
                cacheWrite1hTokens: Int = 0, outputTokens: Int, reasoningTokens: Int = 0, source: Source) {
        self.uncachedInputTokens = uncachedInputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.cacheWrite1hTokens = cacheWrite1hTokens
        self.outputTokens = outputTokens
        self.reasoningTokens = reasoningTokens
        self.source = source
    }

    /// Creates usage from OpenAI-style totals, where `inputTokens` includes the cached part.
    public init(inputTokens: Int, cachedInputTokens: Int = 0, outputTokens: Int, reasoningTokens: Int = 0,
                source: Source) {
        let cached = max(0, min(cachedInputTokens, inputTokens))
        self.init(uncachedInputTokens: inputTokens - cached, cacheReadTokens: cached, outputTokens: outputTokens,
                  reasoningTokens: reasoningTokens, source: source)
    }

    /// All input tokens: uncached, cache reads and cache writes.
    public var inputTokens: Int { uncachedInputTokens + cacheReadTokens + cacheWriteTokens }

    /// The cache writes that last five minutes: those not written to the 1-hour cache.
    public var cacheWrite5mTokens: Int { cacheWriteTokens - cacheWrite1hTokens }

    /// Estimates usage at about 4 characters per token, for providers that report none: the
    /// messages, and the tool definitions and response schema as JSON; each image at
    /// `ChatImage.estimatedTokens`.
    public static func estimated(for request: ChatRequest, answer: String) -> Usage {
        func tokens(_ text: String) -> Int { max(1, (text.utf8.count + 3) / 4) }
        let input = request.messages.reduce(0) { $0 + tokens($1.content) + 3 }
            + (request.isStructured ? (request.structureBytes + 3) / 4 : 0)
            + request.imageCount * ChatImage.estimatedTokens
        return Usage(uncachedInputTokens: input, outputTokens: tokens(answer), source: .estimated)
    }
}
