import Foundation
import GRDB

/// A row of `runs`: one execution of a suite.
public struct RunRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "runs"
    public static let databaseColumnDecodingStrategy = ColumnNames.decoding
    public static let databaseColumnEncodingStrategy = ColumnNames.encoding

    public var id: Int64?
    public var suite: String
    public var suitePath: String
    public var suiteHash: String
    public var catalogPath: String
    public var toolVersion: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: RunStatus
    /// For a run made by `tradeoff grade`: the run whose answers it graded again.
    public var gradedFrom: Int64?
    /// Why the run stopped before every call was made (the budget, the user), if it did.
    public var stopReason: String?
    /// The git commit of the suite's repository (`-dirty` with uncommitted changes), if any.
    public var gitCommit: String?

    public init(id: Int64? = nil, suite: String, suitePath: String, suiteHash: String, catalogPath: String,
                toolVersion: String, startedAt: Date, finishedAt: Date? = nil, status: RunStatus) {
        self.id = id
        self.suite = suite
        self.suitePath = suitePath
        self.suiteHash = suiteHash
        self.catalogPath = catalogPath
        self.toolVersion = toolVersion
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// The state of a run.
public enum RunStatus: String, Sendable, Hashable, Codable, DatabaseValueConvertible {
    /// Started and not finished (or the process died: a run left `running` was not finished).
    case running
    /// Every call produced an answer.
    case completed
    /// Finished, but some calls ended in an error.
    case incomplete
    /// Stopped by the user before every call was made.
    case interrupted
}

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
    /// The price catalog entry the prices came from (`openai/gpt-4o`); nil when written in the catalog.
    public var priceId: String?
    /// The day the prices were last known to be right, `YYYY-MM-DD`; nil when not dated.
    public var priceAsOf: String?
    /// Where the prices came from: a URL, an imported file's entry, or the catalog file and line.
    public var priceSource: String?
    public var maxConcurrency: Int

    enum CodingKeys: String, CodingKey {
        case runId, modelId, provider, baseUrl, model, simulated, priceInput, priceOutput, priceCachedInput,
             priceCacheWrite, pricePerRequest, priceBatchInput, priceBatchOutput, priceTiers, pricePerHour,
             priceReplicas, priceUtilization, priceId, priceAsOf, priceSource, maxConcurrency
        case modelClass = "class"
    }

    /// The row for `entry` in run `runId`, with a snapshot of every price field it uses.
    public init(runId: Int64, entry: ModelEntry) {
        self.runId = runId
        modelId = entry.id
        provider = entry.provider.rawValue
        baseUrl = entry.baseURL
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
                                       utilization: priceUtilization.flatMap(Self.decimal), id: priceId, asOf: asOf,
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
        pricePerRequest = price?.perRequest.map { "\($0)" }
        priceBatchInput = price?.batch?.inputPerMillion.map { "\($0)" }
        priceBatchOutput = price?.batch?.outputPerMillion.map { "\($0)" }
        priceTiers = price.flatMap { $0.tiers.isEmpty ? nil : Self.encodeTiers($0.tiers) }
        pricePerHour = hourly.map { "\($0.perHour)" }
        priceReplicas = hourly?.replicas
        priceUtilization = hourly?.utilization.map { "\($0)" }
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

        enum CodingKeys: String, CodingKey {
            case above, input, output
            case cachedInput = "cached_input"
            case cacheWrite = "cache_write"
        }
    }

    private static func encodeTiers(_ tiers: [PriceTier]) -> String {
        let stored = tiers.map { tier in
            StoredTier(above: tier.aboveInputTokens, input: tier.inputPerMillion.map { "\($0)" },
                       output: tier.outputPerMillion.map { "\($0)" },
                       cachedInput: tier.cachedInputPerMillion.map { "\($0)" },
                       cacheWrite: tier.cacheWritePerMillion.map { "\($0)" })
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
                      cacheWritePerMillion: tier.cacheWrite.flatMap(decimal))
        }
    }

    /// Decimal text as stored (written from `Decimal`, so never through a float).
    private static func decimal(_ text: String) -> Decimal? {
        YAMLDocument.isDecimal(text) ? Decimal(string: text) : nil
    }
}

extension ModelClass: DatabaseValueConvertible {}

/// A row of `cases`: one case of a run's suite, with its variables.
public struct CaseRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "cases"
    public static let databaseColumnDecodingStrategy = ColumnNames.decoding
    public static let databaseColumnEncodingStrategy = ColumnNames.encoding

    public var runId: Int64
    public var taskId: String
    public var caseId: String
    /// Order within the task.
    public var position: Int
    /// The case's variables as a JSON object.
    public var variables: String

    public init(runId: Int64, taskId: String, caseId: String, position: Int, variables: [String: String]) {
        self.runId = runId
        self.taskId = taskId
        self.caseId = caseId
        self.position = position
        // As JSONEncoder with `.sortedKeys` writes it (slashes escaped), without its boxing: a
        // run records every case before its first call.
        var writer = JSONWriter(escapingSlashes: true)
        _ = writer.write(variables.mapValues(JSONValue.string))
        self.variables = String(decoding: writer.bytes, as: UTF8.self)
    }

    /// `INSERT` of every column, as `insert(_:)` builds it from the Codable keys.
    private static let insertSQL = #"INSERT INTO "cases" ("run_id", "task_id", "case_id", "position", "variables") VALUES (?, ?, ?, ?, ?)"#

    /// Inserts the case as `insert(_:)` does, through one cached statement (GRDB's record
    /// machinery cost more per row than SQLite's work), binding as `CallRecord.insertFast` does.
    func insertFast(_ db: Database) throws {
        let statement = try db.cachedStatement(sql: Self.insertSQL)
        statement.setUncheckedArguments(Self.placeholders)
        let values = [runId.databaseValue, taskId.databaseValue, caseId.databaseValue, position.databaseValue,
                      variables.databaseValue]
        for (index, value) in values.enumerated() {
            let code = value.bind(to: statement.sqliteStatement, at: CInt(index + 1))
            guard code == 0 else {  // SQLITE_OK
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot bind argument \(index + 1)",
                                    sql: Self.insertSQL)
            }
        }
        try statement.execute()
    }

    /// A NULL for every column.
    private static let placeholders = StatementArguments(Array(repeating: DatabaseValue.null, count: 5))
}

/// A row of `calls`: one model answering one case once — the answer and its grade, or the error.
public struct CallRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "calls"
    public static let databaseColumnDecodingStrategy = ColumnNames.decoding
    public static let databaseColumnEncodingStrategy = ColumnNames.encoding

    public var id: Int64?
    public var runId: Int64
    public var modelId: String
    public var taskId: String
    public var caseId: String
    public var repeatIndex: Int = 0
    /// The answer; nil when the call failed.
    public var output: String?
    public var score: Double?
    public var passed: Bool?
    /// Per-grader outcomes as a JSON array of {type, score, passed, weight, reason, ...}.
    public var grades: String?
    /// Graders that could not grade the answer (a failed command, a judge without a verdict).
    public var graderErrors: Int = 0
    /// What judging this answer cost (its `judge_calls`, reused verdicts excluded), micro-dollars;
    /// nil when no judge was called or no judge is priced. Never part of `costMicros`.
    public var judgeCostMicros: Int64?
    /// All input tokens: uncached + cache reads + cache writes.
    public var inputTokens: Int?
    /// Input tokens read from the provider's cache.
    public var cachedInputTokens: Int?
    /// Input tokens written to the provider's cache.
    public var cacheWriteTokens: Int?
    /// Output tokens billed, reasoning included.
    public var outputTokens: Int?
    /// The reasoning part of `outputTokens`.
    public var reasoningTokens: Int?
    public var usageSource: Usage.Source?
    /// The cost used everywhere, in micro-dollars (1e-6 USD): the provider's reported charge
    /// when it sent one, else the computed one; nil when unknown (unpriced, or nothing billed).
    public var costMicros: Int64?
    /// Tokens × catalog prices, micro-dollars.
    public var computedCostMicros: Int64?
    /// The charge the provider reported (OpenRouter `usage.cost`), micro-dollars.
    public var reportedCostMicros: Int64?
    /// Which of the two `costMicros` is.
    public var costSource: CostSource?
    /// Whether the answer was streamed (server-sent events).
    public var streamed: Bool = false
    /// Total time of the successful attempt, milliseconds (retry waits excluded).
    public var latencyMs: Double?
    /// Request sent → first content token (streaming only), milliseconds.
    public var ttftMs: Double?
    /// Output tokens / (last chunk − first chunk) (streaming only).
    public var outputTokensPerSecond: Double?
    /// Attempts made (1 when the first succeeded).
    public var attempts: Int = 1
    /// Total time spent waiting between attempts, milliseconds.
    public var backoffMs: Double = 0
    public var connectMs: Double?
    public var tlsMs: Double?
    public var firstByteMs: Double?
    public var httpStatus: Int?
    /// Normalized: stop, length, content_filter, tool_calls, error, other.
    public var finishReason: String?
    /// As the provider sent it (`end_turn`, `MAX_TOKENS`, ...).
    public var finishReasonRaw: String?
    /// The answer was cut by the output token limit.
    public var truncated: Bool = false
    /// The provider refused or filtered the answer.
    public var refused: Bool = false
    /// Who actually served the call (OpenRouter's `provider`).
    public var servingProvider: String?
    public var servedModel: String?
    public var requestId: String?
    public var errorClass: CallError.Kind?
    public var errorMessage: String?
    /// The canonical request's SHA-256 (`RequestKey`), for the response cache; nil when the run
    /// did not write to the cache.
    public var requestHash: String?
    /// For an answer replayed from the response cache: the call it was first recorded as. Its
    /// usage and cost are that call's (what the answer costs), but nothing was spent on it this
    /// run, and its timings are left out of latency.
    public var cachedFrom: Int64?
    public var startedAt: Date
    public var finishedAt: Date

    public init(runId: Int64, modelId: String, taskId: String, caseId: String, startedAt: Date, finishedAt: Date) {
        self.runId = runId
        self.modelId = modelId
        self.taskId = taskId
        self.caseId = caseId
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }


    /// Whether the answer was replayed from the response cache.
    public var cacheHit: Bool { cachedFrom != nil }

    /// What this run spent on the call: its cost, unless the answer came from the cache.
    public var spentMicros: Int64 { cacheHit ? 0 : costMicros ?? 0 }

    /// The per-grader outcomes decoded from `grades`.
    public var graderOutcomes: [GraderOutcome] {
        guard let grades else { return [] }
        return (try? JSONDecoder().decode([GraderOutcome].self, from: Data(grades.utf8))) ?? []
    }
}

extension Usage.Source: DatabaseValueConvertible {}

/// Where a call's cost came from.
public enum CostSource: String, Sendable, Hashable, Codable, DatabaseValueConvertible {
    /// Tokens × catalog prices.
    case computed
    /// The provider's own charge.
    case reported
}
extension CallError.Kind: DatabaseValueConvertible {}
