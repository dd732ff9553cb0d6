import Foundation

/// A price catalog: dated, sourced prices by id (`openai/gpt-4o`, `groq/llama-3.3-70b-versatile`).
///
/// Ids are the host, a slash, and the name that host gives the model, so the id to use for a
/// catalog entry can be read off its `base_url` and `model`. Tradeoff ships one
/// (`ShippedPrices`); a model catalog may add its own file on top (`prices: prices.yaml`),
/// which `tradeoff prices import` keeps up to date.
public struct PriceBook: Sendable, Hashable {
    /// Where an entry was read from.
    public enum Origin: Sendable, Hashable, CustomStringConvertible {
        /// The price catalog shipped with Tradeoff.
        case shipped
        /// A price file, by path.
        case file(String)

        /// `the shipped price catalog`, or the file's path.
        public var description: String {
            switch self {
            case .shipped: "the shipped price catalog"
            case .file(let path): path
            }
        }
    }

    /// One priced model.
    public struct Entry: Sendable, Hashable {
        /// The id; `pricing.id` is the same.
        public var id: String
        /// The prices, with their date and source.
        public var pricing: Pricing
        /// The file it was read from.
        public var origin: Origin
        /// Its position in that file.
        public var location: SourceLocation?

        /// Creates an entry; `pricing` takes `id` as its id.
        public init(id: String, pricing: Pricing, origin: Origin, location: SourceLocation? = nil) {
            var pricing = pricing
            pricing.id = id
            self.id = id
            self.pricing = pricing
            self.origin = origin
            self.location = location
        }
    }

    private var byID: [String: Entry]

    /// A book holding `entries`; a later entry replaces an earlier one with the same id.
    public init(_ entries: [Entry] = []) {
        byID = [:]
        for entry in entries { byID[entry.id] = entry }
    }

    /// The entries, by id.
    public var entries: [Entry] { byID.values.sorted { $0.id < $1.id } }

    /// The ids, sorted.
    public var ids: [String] { byID.keys.sorted() }

    /// Whether the book has no entries.
    public var isEmpty: Bool { byID.isEmpty }

    /// The entry with `id`, if any.
    public subscript(id: String) -> Entry? { byID[id] }

    /// Adds `entry`, replacing any entry with the same id.
    public mutating func set(_ entry: Entry) { byID[entry.id] = entry }

    /// This book with `other`'s entries laid over it (an id in both takes `other`'s).
    public func overlaid(with other: PriceBook) -> PriceBook {
        var merged = self
        for entry in other.byID.values { merged.set(entry) }
        return merged
    }
}
