import Foundation

extension RunModelRecord {
    /// What the model's calls were costed at when it is priced by the hour: the throughput its
    /// price states, or the one measured in the run (`price_throughput`, since v13); nil when
    /// it is not priced by the hour, or no throughput could be measured.
    public var hourlyBasis: HourlyPricing.Basis? {
        guard let priceThroughput,
              let stored = try? JSONDecoder().decode(StoredBasis.self, from: Data(priceThroughput.utf8)),
              let source = HourlyPricing.Basis.Source(rawValue: stored.source) else { return nil }
        let rate: (Throughput.Unit, String)? = stored.outputTokensPerSecond.map { (.outputTokens, $0) }
            ?? stored.callsPerSecond.map { (.calls, $0) }
        guard let (unit, text) = rate, let perSecond = Decimal(string: text) else { return nil }
        return HourlyPricing.Basis(source: source,
                                   throughput: Throughput(perSecond: perSecond, unit: unit,
                                                          concurrency: stored.concurrency.flatMap { Decimal(string: $0) }),
                                   calls: stored.calls, busySeconds: stored.busySeconds.flatMap { Decimal(string: $0) })
    }

    /// Records `basis` as what the model's calls were costed at.
    public mutating func setHourlyBasis(_ basis: HourlyPricing.Basis?) {
        guard let basis else { priceThroughput = nil; return }
        let rate = "\(basis.throughput.perSecond)"
        let stored = StoredBasis(source: basis.source.rawValue,
                                 outputTokensPerSecond: basis.throughput.unit == .outputTokens ? rate : nil,
                                 callsPerSecond: basis.throughput.unit == .calls ? rate : nil,
                                 concurrency: basis.throughput.concurrency.map { "\($0)" }, calls: basis.calls,
                                 busySeconds: basis.busySeconds.map { "\($0)" })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        priceThroughput = (try? encoder.encode(stored)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `price_throughput` as stored: decimals as text, never through a float.
    private struct StoredBasis: Codable {
        var source: String
        var outputTokensPerSecond: String?
        var callsPerSecond: String?
        var concurrency: String?
        var calls: Int?
        var busySeconds: String?

        enum CodingKeys: String, CodingKey {
            case source, concurrency, calls
            case outputTokensPerSecond = "output_tokens_per_second"
            case callsPerSecond = "calls_per_second"
            case busySeconds = "busy_seconds"
        }
    }
}
