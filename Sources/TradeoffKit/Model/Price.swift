import Foundation

/// What a model costs per token, held as decimals (never floating point), with where the
/// numbers came from.
///
/// Token prices are USD per million tokens. A price can come from the price catalog (`id`,
/// `asOf` and `source` say which entry, how old and from where), be written in a model catalog,
/// or both: a catalog entry may take a catalog price and override any of its fields.
public struct Price: Sendable, Hashable, Codable {
    /// USD per million uncached input tokens.
    public var inputPerMillion: Decimal
    /// USD per million output tokens (reasoning included).
    public var outputPerMillion: Decimal
    /// USD per million cached input tokens (cache reads); nil means they are billed as input.
    public var cachedInputPerMillion: Decimal?
    /// USD per million tokens written to the prompt cache (Anthropic's 5-minute writes); nil
    /// means they are billed as input.
    public var cacheWritePerMillion: Decimal?
    /// USD per million tokens written to the 1-hour prompt cache; nil means twice the input
    /// price, what Anthropic bills.
    public var cacheWrite1hPerMillion: Decimal?
    /// USD per request, on top of the tokens; nil when there is no such fee.
    public var perRequest: Decimal?
    /// Long-context prices, by increasing threshold: a prompt longer than a tier's threshold is
    /// billed at that tier's prices.
    public var tiers: [PriceTier]
    /// Prices of batch (asynchronous) calls; nil means half the normal prices.
    public var batch: BatchPrice?
    /// The price catalog entry the price came from (`openai/gpt-4o`); nil when written inline.
    public var id: String?
    /// The day the prices were last known to be right.
    public var asOf: CalendarDay?
    /// Where the prices came from: a URL, or the file and entry they were imported from.
    public var source: String?

    /// Creates a price.
    public init(inputPerMillion: Decimal, outputPerMillion: Decimal, cachedInputPerMillion: Decimal? = nil,
                cacheWritePerMillion: Decimal? = nil, cacheWrite1hPerMillion: Decimal? = nil, perRequest: Decimal? = nil,
                tiers: [PriceTier] = [], batch: BatchPrice? = nil, id: String? = nil, asOf: CalendarDay? = nil,
                source: String? = nil) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.cachedInputPerMillion = cachedInputPerMillion
        self.cacheWritePerMillion = cacheWritePerMillion
        self.cacheWrite1hPerMillion = cacheWrite1hPerMillion
        self.perRequest = perRequest
        self.tiers = tiers
        self.batch = batch
        self.id = id
        self.asOf = asOf
        self.source = source
    }

    /// Whether the billed amounts are the same as `other`'s, whatever the date and source.
    public func samePrices(as other: Price) -> Bool {
        var mine = self, theirs = other
        (mine.id, mine.asOf, mine.source) = (nil, nil, nil)
        (theirs.id, theirs.asOf, theirs.source) = (nil, nil, nil)
        return mine == theirs
    }
}

/// Prices for prompts longer than a threshold (long-context pricing, e.g. above 200,000 tokens).
///
/// A field left nil keeps the base price.
public struct PriceTier: Sendable, Hashable, Codable {
    /// The tier applies to prompts of more than this many input tokens (cached ones included).
    public var aboveInputTokens: Int
    /// USD per million uncached input tokens.
    public var inputPerMillion: Decimal?
    /// USD per million output tokens.
    public var outputPerMillion: Decimal?
    /// USD per million cache-read tokens.
    public var cachedInputPerMillion: Decimal?
    /// USD per million cache-write tokens (5-minute writes).
    public var cacheWritePerMillion: Decimal?
    /// USD per million 1-hour cache-write tokens.
    public var cacheWrite1hPerMillion: Decimal?

    /// Creates a tier.
    public init(aboveInputTokens: Int, inputPerMillion: Decimal? = nil, outputPerMillion: Decimal? = nil,
                cachedInputPerMillion: Decimal? = nil, cacheWritePerMillion: Decimal? = nil,
                cacheWrite1hPerMillion: Decimal? = nil) {
        self.aboveInputTokens = aboveInputTokens
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.cachedInputPerMillion = cachedInputPerMillion
        self.cacheWritePerMillion = cacheWritePerMillion
        self.cacheWrite1hPerMillion = cacheWrite1hPerMillion
    }

    /// Whether the tier sets any price.
    public var hasPrices: Bool {
        inputPerMillion != nil || outputPerMillion != nil || cachedInputPerMillion != nil || cacheWritePerMillion != nil
            || cacheWrite1hPerMillion != nil
    }
}

/// Published prices of batch calls (OpenAI's and Anthropic's batch APIs, Gemini's batch mode).
///
/// A field left nil is half the normal price, which is what the providers charge.
public struct BatchPrice: Sendable, Hashable, Codable {
    /// USD per million input tokens in a batch.
    public var inputPerMillion: Decimal?
    /// USD per million output tokens in a batch.
    public var outputPerMillion: Decimal?

    /// Creates batch prices.
    public init(inputPerMillion: Decimal? = nil, outputPerMillion: Decimal? = nil) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
    }
}
