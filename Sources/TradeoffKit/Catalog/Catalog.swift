import Foundation

/// A model catalog: the models a suite can run on, how to reach them and what they cost.
public struct Catalog: Sendable, Hashable {
    /// The path the catalog was loaded from.
    public var path: String
    /// The models, in file order; ids are unique.
    public var models: [ModelEntry]
    /// The catalog's own price file (`prices:`), read on top of the shipped price catalog.
    public var priceFile: String?
    /// A price whose `as_of` is older than this many days gets a warning (`max_price_age_days`).
    public var maxPriceAgeDays: Int

    /// Creates a catalog.
    public init(path: String, models: [ModelEntry], priceFile: String? = nil,
                maxPriceAgeDays: Int = PriceCheck.defaultMaxAgeDays) {
        self.path = path
        self.models = models
        self.priceFile = priceFile
        self.maxPriceAgeDays = maxPriceAgeDays
    }

    /// The entry with this id, if any.
    public func model(_ id: String) -> ModelEntry? { models.first { $0.id == id } }
}
