import Foundation
import Yams

/// The price fields of one YAML mapping — a price catalog entry, or a model's `price:` — each
/// optional and checked at its position, before they are completed into a `Pricing` or laid
/// over a catalog price.
struct PriceFields {
    static let tokenKeys = ["input", "output", "cached_input", "cache_write", "cache_write_1h", "per_request", "tiers",
                            "batch"]
    static let hourlyKeys = ["per_hour_usd", "replicas", "utilization", "throughput"]
    static let throughputKeys = Throughput.Unit.allCases.map(\.rawValue) + ["concurrency"]
    static let provenanceKeys = ["as_of", "source"]
    static let tierKeys = ["above", "input", "output", "cached_input", "cache_write", "cache_write_1h"]
    static let batchKeys = ["input", "output"]

    var input: Decimal?
    var output: Decimal?
    var cachedInput: Decimal?
    var cacheWrite: Decimal?
    var cacheWrite1h: Decimal?
    var perRequest: Decimal?
    var tiers: [PriceTier]?
    var batch: BatchPrice?
    var perHour: Decimal?
    var replicas: Int?
    var utilization: Decimal?
    var throughput: Throughput?
    var asOf: CalendarDay?
    var source: String?
    /// The keys present, in the order of `tokenKeys + hourlyKeys + provenanceKeys`.
    var present: [String] = []
    /// Problems found; a mapping with errors yields no price.
    var valid = true

    /// Reads and checks every price field of `fields`.
    ///
    /// - Parameter context: Names the mapping in messages (`'price'`, `price 'openai/gpt-4o'`).
    init(_ fields: YAMLFields, context: String, in document: YAMLDocument, log: inout DiagnosticLog) {
        let before = log.diagnostics.count
        present = (Self.tokenKeys + Self.hourlyKeys + Self.provenanceKeys).filter { fields[$0] != nil }
        input = document.decimal(fields, "input", log: &log)
        output = document.decimal(fields, "output", log: &log)
        cachedInput = document.decimal(fields, "cached_input", log: &log)
        cacheWrite = document.decimal(fields, "cache_write", log: &log)
        cacheWrite1h = document.decimal(fields, "cache_write_1h", log: &log)
        perRequest = document.decimal(fields, "per_request", log: &log)
        if let node = fields["tiers"] { tiers = Self.tiers(node, in: document, log: &log) }
        if let node = fields["batch"],
           let batchFields = document.fields(of: node, in: "'batch'", allowed: Self.batchKeys, log: &log) {
            let batch = BatchPrice(inputPerMillion: document.decimal(batchFields, "input", log: &log),
                                   outputPerMillion: document.decimal(batchFields, "output", log: &log))
            if batchFields["input"] == nil && batchFields["output"] == nil {
                log.add(document.error("'batch' needs 'input' or 'output' (a missing one is half the normal price)",
                                       at: node))
            }
            self.batch = batch
        }
        perHour = document.decimal(fields, "per_hour_usd", log: &log)
        replicas = document.integer(fields, "replicas", atLeast: 1, log: &log)
        if let node = fields["utilization"], let value = document.decimal(fields, "utilization", log: &log) {
            if value > 0 && value <= 1 {
                utilization = value
            } else {
                log.add(document.error("'utilization' must be greater than 0 and at most 1, got \(value)", at: node))
            }
        }
        if let node = fields["throughput"] { throughput = Self.throughput(node, in: document, log: &log) }
        if let node = fields["as_of"], let text = document.text(node, named: "as_of", log: &log) {
            asOf = CalendarDay(text)
            if asOf == nil {
                log.add(document.error("'as_of' must be a date written YYYY-MM-DD, got '\(text)'", at: node))
            }
        }
        if let node = fields["source"], let text = document.text(node, named: "source", log: &log) {
            if text.isBlank {
                log.add(document.error("'source' must not be empty", at: node))
            } else {
                source = text
            }
        }
        let tokenKey = present.first { Self.tokenKeys.contains($0) }
        if let tokenKey, let hourlyKey = present.first(where: { Self.hourlyKeys.contains($0) }),
           let node = fields.keyNode(hourlyKey) {
            log.add(document.error("'\(hourlyKey)' prices a deployment by the hour and cannot be combined with "
                                   + "token prices ('\(tokenKey)') in \(context)", at: node))
        }
        valid = log.diagnostics.count == before
    }

    var hasTokenFields: Bool { present.contains { Self.tokenKeys.contains($0) } }
    var hasHourlyFields: Bool { present.contains { Self.hourlyKeys.contains($0) } }
    var hasPriceFields: Bool { hasTokenFields || hasHourlyFields }

    /// A complete pricing from these fields alone: `input` and `output`, or `per_hour_usd`.
    ///
    /// Missing required keys are reported at `fields.node` the way `YAMLDocument.fields` does.
    func pricing(_ fields: YAMLFields, context: String, in document: YAMLDocument,
                 log: inout DiagnosticLog) -> Pricing?
    {
        if hasHourlyFields {
            guard let perHour else {
                if fields["per_hour_usd"] == nil {
                    log.add(document.error("missing required key 'per_hour_usd' in \(context)", at: fields.node))
                }
                return nil
            }
            guard valid else { return nil }
            return .hourly(HourlyPrice(perHour: perHour, replicas: replicas ?? 1, utilization: utilization,
                                       throughput: throughput, asOf: asOf, source: source))
        }
        for key in ["input", "output"] where fields[key] == nil {
            log.add(document.error("missing required key '\(key)' in \(context)", at: fields.node))
        }
        guard valid, let input, let output else { return nil }
        return .tokens(Price(inputPerMillion: input, outputPerMillion: output, cachedInputPerMillion: cachedInput,
                             cacheWritePerMillion: cacheWrite, cacheWrite1hPerMillion: cacheWrite1h,
                             perRequest: perRequest, tiers: tiers ?? [],
                             batch: batch, asOf: asOf, source: source))
    }

    /// These fields laid over `base`: each one given replaces the base's (`tiers` and `batch`
    /// as a whole).
    ///
    /// - Parameter origin: Where the overrides are written (`suites/models.yaml:12`), named in
    ///   the source when prices change and no `source` is given.
    func pricing(over base: Pricing, origin: String) -> Pricing? {
        guard valid else { return nil }
        var result: Pricing
        switch base {
        case .tokens(var price):
            if let input { price.inputPerMillion = input }
            if let output { price.outputPerMillion = output }
            if let cachedInput { price.cachedInputPerMillion = cachedInput }
            if let cacheWrite { price.cacheWritePerMillion = cacheWrite }
            if let cacheWrite1h { price.cacheWrite1hPerMillion = cacheWrite1h }
            if let perRequest { price.perRequest = perRequest }
            if let tiers { price.tiers = tiers }
            if let batch { price.batch = batch }
            if let asOf { price.asOf = asOf }
            result = .tokens(price)
        case .hourly(var price):
            if let perHour { price.perHour = perHour }
            if let replicas { price.replicas = replicas }
            if let utilization { price.utilization = utilization }
            if let throughput { price.throughput = throughput }
            if let asOf { price.asOf = asOf }
            result = .hourly(price)
        }
        let overridden = present.filter { !Self.provenanceKeys.contains($0) }
        let source: String?
        if let given = self.source {
            source = given
        } else if !overridden.isEmpty {
            let fields = overridden.map { "'\($0)'" }.joined(separator: ", ")
            source = (base.source.map { $0 + "; " } ?? "") + "\(fields) from \(origin)"
        } else {
            source = base.source
        }
        switch result {
        case .tokens(var price): price.source = source; result = .tokens(price)
        case .hourly(var price): price.source = source; result = .hourly(price)
        }
        return result
    }

    /// `throughput: {output_tokens_per_second: 2400, concurrency: 32}`: exactly one rate, greater
    /// than 0, and optionally the calls in flight at which it holds.
    private static func throughput(_ node: Node, in document: YAMLDocument, log: inout DiagnosticLog) -> Throughput? {
        guard let fields = document.fields(of: node, in: "'throughput'", allowed: throughputKeys, log: &log) else {
            return nil
        }
        let before = log.diagnostics.count
        var rates: [(Throughput.Unit, Decimal)] = []
        for unit in Throughput.Unit.allCases {
            guard let value = document.decimal(fields, unit.rawValue, log: &log), let valueNode = fields[unit.rawValue]
            else { continue }
            if value > 0 {
                rates.append((unit, value))
            } else {
                log.add(document.error("'\(unit.rawValue)' must be greater than 0, got \(value)", at: valueNode))
            }
        }
        let concurrency = document.integer(fields, "concurrency", atLeast: 1, log: &log)
        let given = Throughput.Unit.allCases.filter { fields[$0.rawValue] != nil }
        if given.count != 1 {
            let message = given.isEmpty
                ? "'throughput' needs 'output_tokens_per_second' or 'calls_per_second': what the deployment serves in "
                    + "production (without it, the throughput measured in the run is used)"
                : "'throughput' takes one of 'output_tokens_per_second' and 'calls_per_second', not both"
            log.add(document.error(message, at: given.count > 1 ? fields.keyNode(given[1].rawValue) ?? node : node))
        }
        guard log.diagnostics.count == before, let (unit, perSecond) = rates.first else { return nil }
        return Throughput(perSecond: perSecond, unit: unit, concurrency: concurrency.map { Decimal($0) })
    }

    /// `tiers: [{above: 200000, input: 2.50, output: 15.00}, ...]`, thresholds increasing.
    private static func tiers(_ node: Node, in document: YAMLDocument, log: inout DiagnosticLog) -> [PriceTier]? {
        guard case .sequence(let items) = node else {
            log.add(document.error("'tiers' must be a list like [{above: 200000, input: 2.50, output: 15.00}], "
                                   + "got \(document.describe(node))", at: node))
            return nil
        }
        var tiers: [PriceTier] = []
        var valid = true
        for item in items {
            guard let fields = document.fields(of: item, in: "tier", allowed: tierKeys, required: ["above"], log: &log)
            else { valid = false; continue }
            let above = document.integer(fields, "above", atLeast: 1, log: &log)
            let tier = PriceTier(aboveInputTokens: above ?? 0,
                                 inputPerMillion: document.decimal(fields, "input", log: &log),
                                 outputPerMillion: document.decimal(fields, "output", log: &log),
                                 cachedInputPerMillion: document.decimal(fields, "cached_input", log: &log),
                                 cacheWritePerMillion: document.decimal(fields, "cache_write", log: &log),
                                 cacheWrite1hPerMillion: document.decimal(fields, "cache_write_1h", log: &log))
            if !["input", "output", "cached_input", "cache_write", "cache_write_1h"].contains(where: { fields[$0] != nil }) {
                log.add(document.error("a tier needs at least one price (input, output, cached_input, cache_write or "
                                       + "cache_write_1h)",
                                       at: item))
                valid = false
            }
            guard let above else { valid = false; continue }
            if let previous = tiers.last, above <= previous.aboveInputTokens, let node = fields["above"] {
                log.add(document.error("tier thresholds must increase: 'above: \(above)' comes after "
                                       + "'above: \(previous.aboveInputTokens)'", at: node))
                valid = false
            }
            tiers.append(tier)
        }
        return valid ? tiers : nil
    }
}
