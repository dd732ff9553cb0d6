/// The parts of a model's token price its calls were billed at, beyond input and output: what
/// the report's price list must show for a reader to check the cost.
public struct PricedParts: Sendable, Hashable {
    /// Input tokens read from the prompt cache.
    public var cacheReadTokens: Int
    /// Tokens written to the 5-minute prompt cache.
    public var cacheWrite5mTokens: Int
    /// Tokens written to the 1-hour prompt cache.
    public var cacheWrite1hTokens: Int
    /// Calls billed at a long-context tier, by the tier's threshold.
    public var tierCalls: [Int: Int]

    /// Creates the parts.
    public init(cacheReadTokens: Int = 0, cacheWrite5mTokens: Int = 0, cacheWrite1hTokens: Int = 0,
                tierCalls: [Int: Int] = [:]) {
        self.cacheReadTokens = cacheReadTokens
        self.cacheWrite5mTokens = cacheWrite5mTokens
        self.cacheWrite1hTokens = cacheWrite1hTokens
        self.tierCalls = tierCalls
    }
}
