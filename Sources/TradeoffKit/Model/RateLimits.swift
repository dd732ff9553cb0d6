/// How fast calls may be made: to one model (its catalog entry), or to every model of one
/// provider account together (the catalog's `limits:`). A limit that is nil does not apply.
public struct RateLimits: Sendable, Hashable, Codable {
    /// At most this many calls in flight at once.
    public var maxConcurrency: Int?
    /// At most this many requests started in a minute (retries count).
    public var requestsPerMinute: Int?
    /// At most this many tokens a minute: a call's input plus its `max_tokens` of output are
    /// counted when it starts, the way OpenAI's limiter counts them, and corrected to what it
    /// used when it ends.
    public var tokensPerMinute: Int?

    public init(maxConcurrency: Int? = nil, requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil) {
        self.maxConcurrency = maxConcurrency
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
    }

    /// True when no limit is set.
    public var isEmpty: Bool { maxConcurrency == nil && requestsPerMinute == nil && tokensPerMinute == nil }
}

/// Limits shared by several models: the calls of all of them count against the same budget.
public struct SharedLimits: Sendable, Hashable, Codable {
    /// The group's name: a provider (`openai`, `anthropic`, `openrouter`, ...) or a model's
    /// `limit_group`.
    public var name: String
    public var limits: RateLimits

    public init(name: String, limits: RateLimits) {
        self.name = name
        self.limits = limits
    }
}
