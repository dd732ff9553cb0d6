import Foundation
import Yams

extension CatalogLoader {
    /// Top-level catalog keys about prices.
    static let priceCatalogKeys = ["prices", "max_price_age_days"]
    /// Keys of a model's `price:` mapping.
    static let priceKeys = ["from"] + PriceFields.tokenKeys + PriceFields.hourlyKeys + PriceFields.provenanceKeys

    /// What a catalog's models can take their prices from.
    struct PriceSettings {
        /// The shipped price catalog with the catalog's own price file laid over it.
        var book: PriceBook
        /// Why the shipped catalog could not be read, if it could not.
        var shippedProblem: String?
        /// The catalog's price file (`prices:`), resolved against the catalog's folder.
        var file: String?
        /// The price file was named but could not be read: unknown ids are not reported again.
        var fileFailed = false
        /// `max_price_age_days`.
        var maxAgeDays = PriceCheck.defaultMaxAgeDays
    }

    /// Reads `prices:` (a price file laid over the shipped catalog) and `max_price_age_days:`.
    func priceSettings(_ fields: YAMLFields, in document: YAMLDocument, log: inout DiagnosticLog) -> PriceSettings {
        var settings = PriceSettings(book: PriceBook())
        do {
            settings.book = try ShippedPrices.book()
        } catch {
            settings.shippedProblem = error.diagnostics.first?.message ?? "the shipped price data cannot be read"
        }
        if let node = fields["prices"], let path = document.text(node, named: "prices", log: &log) {
            let resolved = InputFile.path(path, relativeTo: document.file)
            settings.file = resolved
            let errorsBefore = log.diagnostics.count
            if let own = PriceFile.load(path: resolved, origin: .file(resolved), referencedBy: (document, node), log: &log) {
                settings.book = settings.book.overlaid(with: own)
            }
            settings.fileFailed = log.diagnostics.count > errorsBefore
        }
        if let days = document.integer(fields, "max_price_age_days", atLeast: 1, log: &log) {
            settings.maxAgeDays = days
        }
        return settings
    }

    /// A model's `price:`: a price id (`openai/gpt-4o`), a mapping of prices, or a mapping with
    /// `from: ID` whose other fields override that price's.
    func pricing(_ node: Node, in document: YAMLDocument, prices: PriceSettings, log: inout DiagnosticLog) -> Pricing? {
        let origin = node.mark.map { "\(document.file):\($0.line)" } ?? document.file
        switch node {
        case .scalar:
            guard let id = document.text(node, named: "price", log: &log) else { return nil }
            return lookUp(id, at: node, in: document, prices: prices, log: &log)
        case .mapping:
            guard let fields = document.fields(of: node, in: "'price'", allowed: Self.priceKeys, log: &log) else {
                return nil
            }
            let priceFields = PriceFields(fields, context: "'price'", in: document, log: &log)
            guard let fromNode = fields["from"] else {
                return priceFields.pricing(fields, context: "'price'", in: document, log: &log)
            }
            guard let id = document.text(fromNode, named: "from", log: &log),
                  let base = lookUp(id, at: fromNode, in: document, prices: prices, log: &log)
            else { return nil }
            if case .tokens = base, let key = priceFields.present.first(where: PriceFields.hourlyKeys.contains),
               let keyNode = fields.keyNode(key) {
                log.add(document.error("'\(key)' cannot override '\(id)', which is priced per token", at: keyNode))
                return nil
            }
            if case .hourly = base, let key = priceFields.present.first(where: PriceFields.tokenKeys.contains),
               let keyNode = fields.keyNode(key) {
                log.add(document.error("'\(key)' cannot override '\(id)', which is priced by the hour", at: keyNode))
                return nil
            }
            return priceFields.pricing(over: base, origin: origin)
        default:
            log.add(document.error("'price' must be a price id like 'openai/gpt-4o' or a mapping like "
                                   + "{input: 2.50, output: 10.00}, got \(document.describe(node))", at: node))
            return nil
        }
    }

    private func lookUp(_ id: String, at node: Node, in document: YAMLDocument, prices: PriceSettings,
                        log: inout DiagnosticLog) -> Pricing?
    {
        if let entry = prices.book[id] { return entry.pricing }
        if prices.fileFailed { return nil }
        if let problem = prices.shippedProblem {
            log.add(document.error("unknown price '\(id)': \(problem)", at: node))
            return nil
        }
        var message = "unknown price '\(id)'"
        if let match = Suggestions.closest(to: id, among: prices.book.ids) { message += " (did you mean '\(match)'?)" }
        message += "; `tradeoff prices show` lists the known ones"
        log.add(document.error(message, at: node))
        return nil
    }
}
