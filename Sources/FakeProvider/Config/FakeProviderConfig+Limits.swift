extension FakeProviderConfig {
    /// A model's rate limits, enforced like a provider's: a request over a limit gets a 429, and
    /// every answer carries the provider's rate-limit headers (OpenAI's `x-ratelimit-*`,
    /// Anthropic's `anthropic-ratelimit-*`; Gemini sends none).
    ///
    /// Requests and tokens are counted in fixed windows of ``windowMs`` starting at the first
    /// request; a request's tokens are its prompt plus its output limit, as OpenAI counts them.
    public struct Limits: Sendable, Hashable {
        /// Requests answered at once; more get a 429 (like a gateway's parallel-request limit).
        public var maxConcurrency: Int?
        /// Requests per window.
        public var requests: Int?
        /// Tokens per window.
        public var tokens: Int?
        /// The window, in milliseconds. Default one minute.
        public var windowMs: Int

        /// Creates limits; nil limits nothing.
        public init(maxConcurrency: Int? = nil, requests: Int? = nil, tokens: Int? = nil, windowMs: Int = 60_000) {
            self.maxConcurrency = maxConcurrency
            self.requests = requests
            self.tokens = tokens
            self.windowMs = windowMs
        }
    }
}

/// Where a model stands against its limits after a request, for the headers.
struct LimitStatus: Sendable, Hashable {
    var requestLimit: Int?
    var requestsRemaining: Int
    var tokenLimit: Int?
    var tokensRemaining: Int
    /// Milliseconds until the window resets.
    var resetMs: Int

    /// Which limit refused a request.
    enum Refusal: String, Sendable {
        case concurrency = "concurrent requests"
        case requests = "requests per window"
        case tokens = "tokens per window"
    }
}
