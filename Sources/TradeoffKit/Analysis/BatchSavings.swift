/// What calls made through a provider's batch API cost, beside what their stored usage costs at
/// the ordinary prices: what batch mode saved. Integer micro-dollars, exact.
public struct BatchSavings: Sendable, Hashable, Codable {
    /// The batched calls' cost as recorded: the batch prices (or what the provider reported).
    public var atBatchPricesMicros: Int64
    /// The same calls' usage at the model's ordinary prices.
    public var atOrdinaryPricesMicros: Int64

    /// What batch mode saved (ordinary less batch).
    public var savedMicros: Int64 { atOrdinaryPricesMicros - atBatchPricesMicros }

    /// Both summed: `nil` stays nil, and nils are skipped.
    public static func total(_ savings: [BatchSavings?]) -> BatchSavings? {
        let present = savings.compactMap { $0 }
        guard !present.isEmpty else { return nil }
        return BatchSavings(atBatchPricesMicros: present.reduce(0) { Money.sum($0, $1.atBatchPricesMicros) },
                            atOrdinaryPricesMicros: present.reduce(0) { Money.sum($0, $1.atOrdinaryPricesMicros) })
    }
}
