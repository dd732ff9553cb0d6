import Foundation
import GRDB

/// A row of `run_models`: a model as used in a run, with the prices applied.
public struct RunModelRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "run_models"
    public static let databaseColumnDecodingStrategy = ColumnNames.decoding
    public static let databaseColumnEncodingStrategy = ColumnNames.encoding

    public var runId: Int64
    public var modelId: String
    public var provider: String
    public var baseUrl: String
    public var model: String
    public var modelClass: ModelClass
    public var simulated: Bool
    /// USD per million tokens, as exact decimal text; nil when unpriced.
    public var priceInput: String?
    public var priceOutput: String?
    public var priceCachedInput: String?
    public var priceCacheWrite: String?
    /// USD per million 1-hour cache writes; nil means twice the input price (since v8).
    public var priceCacheWrite1h: String?
    /// USD per request, exact decimal text.
    public var pricePerRequest: String?
    /// Batch prices, USD per million tokens; nil means half the normal prices.
    public var priceBatchInput: String?
    public var priceBatchOutput: String?
    /// Long-context tiers as a JSON array of `{"above": 200000, "input": "2.5", "output": "15", ...}`
    /// (prices as decimal text); nil when there are none.
    public var priceTiers: String?
    /// For a model priced by the hour: USD per replica-hour, replicas and utilization.
    public var pricePerHour: String?
    public var priceReplicas: Int?
    public var priceUtilization: String?
    /// For a model priced by the hour, the throughput its calls were costed at, as JSON (see
    /// `hourlyBasis`; since v13).
    public var priceThroughput: String?
    /// The price catalog entry the prices came from (`openai/gpt-4o`); nil when written in the catalog.
    public var priceId: String?
    /// The day the prices were last known to be right, `YYYY-MM-DD`; nil when not dated.
    public var priceAsOf: String?
    /// Where the prices came from: a URL, an imported file's entry, or the catalog file and line.
    public var priceSource: String?
    public var maxConcurrency: Int

    enum CodingKeys: String, CodingKey {
        case runId, modelId, provider, baseUrl, model, simulated, priceInput, priceOutput, priceCachedInput,
             priceCacheWrite, priceCacheWrite1h, pricePerRequest, priceBatchInput, priceBatchOutput, priceTiers, pricePerHour,
             priceReplicas, priceUtilization, priceThroughput, priceId, priceAsOf, priceSource, maxConcurrency
        case modelClass = "class"
    }

    /// The row for `entry` in run `runId`, with a snapshot of every price field it uses.
    public init(runId: Int64, entry: ModelEntry) {
        self.runId = runId
        modelId = entry.id
        provider = entry.provider.rawValue
        // The catalog's text, never its expansion: a `${TOKEN}` in a query is a secret.
        baseUrl = entry.baseURLTemplate ?? entry.baseURL
        model = entry.model
        modelClass = entry.modelClass
        simulated = entry.simulated
        maxConcurrency = entry.maxConcurrency
        let inlineSource = entry.location.map { "\($0.file):\($0.line)" }
        setPricing(entry.pricing, inlineSource: inlineSource)
    }
}

extension RunModelRecord {
    /// Whether the run had a price for the model (per token or by the hour); when not, its cost
    /// is unknown, never zero.
    public var isPriced: Bool { (priceInput != nil && priceOutput != nil) || pricePerHour != nil }

    /// The prices recorded for the model, as they were when the run started; nil when unpriced.
    public var pricing: Pricing? {
        let asOf = priceAsOf.flatMap(CalendarDay.init)
        if let perHour = pricePerHour.flatMap(Self.decimal) {
            return .hourly(HourlyPrice(perHour: perHour, replicas: priceReplicas ?? 1,
                                       utilization: priceUtilization.flatMap(Self.decimal),
                                       throughput: hourlyBasis.flatMap { $0.source == .stated ? $0.throughput : nil },
                                       id: priceId, asOf: asOf,
                                       source: priceSource))
        }
        guard let input = priceInput.flatMap(Self.decimal), let output = priceOutput.flatMap(Self.decimal) else {
            return nil
        }
        var batch: BatchPrice?
        if priceBatchInput != nil || priceBatchOutput != nil {
            batch = BatchPrice(inputPerMillion: priceBatchInput.flatMap(Self.decimal),
                               outputPerMillion: priceBatchOutput.flatMap(Self.decimal))
        }
        return .tokens(Price(inputPerMillion: input, outputPerMillion: output,
                             cachedInputPerMillion: priceCachedInput.flatMap(Self.decimal),
                             cacheWritePerMillion: priceCacheWrite.flatMap(Self.decimal),
                             cacheWrite1hPerMillion: priceCacheWrite1h.flatMap(Self.decimal),
                             perRequest: pricePerRequest.flatMap(Self.decimal),
                             tiers: priceTiers.map(Self.decodeTiers) ?? [], batch: batch, id: priceId, asOf: asOf,
                             source: priceSource))
    }

    /// Where the prices came from, for people: `openai/gpt-4o, as of 2026-11-25, source: ...`,
    /// or `unpriced`.
    public var priceProvenance: String {
        guard isPriced else { return "unpriced" }
        let parts = [priceId, priceAsOf.map { "as of \($0)" } ?? "undated", priceSource.map { "source: \($0)" }]
        return parts.compactMap { $0 }.joined(separator: ", ")
    }

    /// Replaces every price field with `pricing`'s (all nil when unpriced).
    ///
    /// - Parameter inlineSource: The source recorded when `pricing` names none (its catalog line).
    public mutating func setPricing(_ pricing: Pricing?, inlineSource: String? = nil) {
        let price = pricing?.tokens, hourly = pricing?.hourly
        priceInput = price.map { "\($0.inputPerMillion)" }
        priceOutput = price.map { "\($0.outputPerMillion)" }
        priceCachedInput = price?.cachedInputPerMillion.map { "\($0)" }
        priceCacheWrite = price?.cacheWritePerMillion.map { "\($0)" }
        priceCacheWrite1h = price?.cacheWrite1hPerMillion.map { "\($0)" }
        pricePerRequest = price?.perRequest.map { "\($0)" }
        priceBatchInput = price?.batch?.inputPerMillion.map { "\($0)" }
        priceBatchOutput = price?.batch?.outputPerMillion.map { "\($0)" }
        priceTiers = price.flatMap { $0.tiers.isEmpty ? nil : Self.encodeTiers($0.tiers) }
        pricePerHour = hourly.map { "\($0.perHour)" }
        priceReplicas = hourly?.replicas
        priceUtilization = hourly?.utilization.map { "\($0)" }
        setHourlyBasis(hourly?.throughput.map { HourlyPricing.Basis(source: .stated, throughput: $0) })
        priceId = pricing?.id
        priceAsOf = pricing?.asOf?.description
        priceSource = pricing == nil ? nil : (pricing?.source ?? inlineSource)
    }

    private struct StoredTier: Codable {
        var above: Int
        var input: String?
        var output: String?
        var cachedInput: String?
        var cacheWrite: String?
        var cacheWrite1h: String?

        enum CodingKeys: String, CodingKey {
            case above, input, output
            case cachedInput = "cached_input"
            case cacheWrite = "cache_write"
            case cacheWrite1h = "cache_write_1h"
        }
    }

    private static func encodeTiers(_ tiers: [PriceTier]) -> String {
        let stored = tiers.map { tier in
            StoredTier(above: tier.aboveInputTokens, input: tier.inputPerMillion.map { "\($0)" },
                       output: tier.outputPerMillion.map { "\($0)" },
                       cachedInput: tier.cachedInputPerMillion.map { "\($0)" },
                       cacheWrite: tier.cacheWritePerMillion.map { "\($0)" },
                       cacheWrite1h: tier.cacheWrite1hPerMillion.map { "\($0)" })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(stored)) ?? Data("[]".utf8), as: UTF8.self)
    }

    private static func decodeTiers(_ json: String) -> [PriceTier] {
        let stored = (try? JSONDecoder().decode([StoredTier].self, from: Data(json.utf8))) ?? []
        return stored.map { tier in
            PriceTier(aboveInputTokens: tier.above, inputPerMillion: tier.input.flatMap(decimal),
                      outputPerMillion: tier.output.flatMap(decimal), cachedInputPerMillion: tier.cachedInput.flatMap(decimal),
                      cacheWritePerMillion: tier.cacheWrite.flatMap(decimal),
                      cacheWrite1hPerMillion: tier.cacheWrite1h.flatMap(decimal))
        }
    }

    /// Decimal text as stored (written from `Decimal`, so never through a float).
    private static func decimal(_ text: String) -> Decimal? {
        YAMLDocument.isDecimal(text) ? Decimal(string: text) : nil
    }
}

extension ModelClass: DatabaseValueConvertible {}
