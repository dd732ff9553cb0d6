import Foundation

/// What a run should say about its models' prices before it starts: models without a price
/// (their cost will be unknown, never $0) and prices older than the catalog allows.
public enum PriceCheck {
    /// `max_price_age_days` when a catalog does not set it.
    public static let defaultMaxAgeDays = 180

    /// Warnings about the prices of `models`, at their catalog entries, in the order given.
    ///
    /// - Parameters:
    ///   - models: The models about to run.
    ///   - catalog: Their catalog, for `max_price_age_days`.
    ///   - today: The day to measure ages from.
    /// - Returns: One warning per unpriced model and per model whose price is too old; a price
    ///   without `as_of` cannot be judged and gets none.
    public static func warnings(for models: [ModelEntry], in catalog: Catalog,
                                today: CalendarDay = .today) -> [Diagnostic] {
        var sources: [String: SourceText] = [:]
        return models.compactMap { model in
            let message: String
            if let pricing = model.pricing {
                guard let asOf = pricing.asOf else { return nil }
                let age = asOf.days(until: today)
                guard age > catalog.maxPriceAgeDays else { return nil }
                let name = pricing.id.map { "'\($0)', " } ?? ""
                message = "the price of model '\(model.id)' is \(age) days old (\(name)as of \(asOf); the limit is "
                    + "\(catalog.maxPriceAgeDays)): check it and update it, e.g. with `tradeoff prices import`, "
                    + "or raise 'max_price_age_days' in the catalog"
            } else {
                message = "model '\(model.id)' has no price: its cost will be unknown (not $0) and it is left out of "
                    + "cost comparisons; add 'price:' to its catalog entry"
            }
            guard let location = model.location else {
                return Diagnostic(.warning, file: catalog.path, line: nil, column: nil, message: message)
            }
            if sources[location.file] == nil, case .success(let (_, text)) = InputFile.text(atPath: location.file) {
                sources[location.file] = SourceText(file: location.file, text: text)
            }
            return Diagnostic(.warning, file: location.file, line: location.line, column: location.column,
                              message: message, sourceLine: sources[location.file]?.line(location.line))
        }
    }
}
