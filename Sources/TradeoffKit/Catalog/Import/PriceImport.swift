import Foundation

/// Prices read from an outside list (LiteLLM's JSON, OpenRouter's model list) through the name
/// map, compared with the prices a run would use now.
///
/// Prices are read from the numbers' text as decimals and converted from USD per token to USD
/// per million tokens exactly. Only names the map lists are read; everything else is counted,
/// never guessed at.
public struct PriceImport: Sendable {
    /// A price that differs from the one in use.
    public struct Change: Sendable, Hashable {
        public var id: String
        public var before: Pricing
        public var after: Pricing

        /// The fields that differ, as (label, old, new); a field one side lacks reads `none`.
        public var differences: [(label: String, old: String, new: String)] {
            let old = PriceText.fields(of: before), new = PriceText.fields(of: after)
            var labels: [String] = []
            for (label, _) in old + new where !labels.contains(label) { labels.append(label) }
            return labels.compactMap { label in
                let a = old.first { $0.label == label }?.value ?? "none"
                let b = new.first { $0.label == label }?.value ?? "none"
                return a == b ? nil : (label, a, b)
            }
        }
    }

    /// A mapped name that yielded no price, and why.
    public struct LeftOut: Sendable, Hashable {
        /// The price id the map gives it.
        public var id: String
        /// The name in the list.
        public var name: String
        /// Why it was left out.
        public var reason: String
    }

    /// The list's format.
    public var format: PriceListFormat
    /// Every price read, by id, dated `asOf` and sourced to its entry in the list (their origin
    /// is the list's file: give them the price file's when storing them).
    public var imported: PriceBook
    /// Prices for ids that had none.
    public var added: [PriceBook.Entry]
    /// Prices that differ from the ones in use.
    public var changed: [Change]
    /// Ids whose prices are the same (only their date is refreshed).
    public var unchanged: [String]
    /// Mapped names that yielded no price.
    public var leftOut: [LeftOut]
    /// Notes about parts of an entry that were not imported (a time-of-day override, ...).
    public var notes: [String]
    /// Entries of the list that no row of the map names.
    public var unmappedCount: Int

    /// Reads the price list at `path`.
    ///
    /// - Parameters:
    ///   - format: Which list it is.
    ///   - path: The file, as the user named it.
    ///   - names: Which price id each name fills.
    ///   - current: The prices in use now, to tell added from changed.
    ///   - asOf: The date given to the imported prices (the day the list was fetched).
    /// - Throws: `DiagnosticsError` when the file cannot be read or is not such a list.
    public static func read(_ format: PriceListFormat, path: String, names: PriceNameMap, current: PriceBook,
                            asOf: CalendarDay) throws(DiagnosticsError) -> PriceImport {
        let data: Data
        switch InputFile.bytes(atPath: path) {
        case .failure(let problem):
            throw DiagnosticsError([Diagnostic(.error, file: path, line: nil, column: nil,
                                               message: "\(format.displayName) price file \(problem.message)")])
        case .success(let bytes): data = bytes
        }
        let tree: JSONTree
        switch JSONTree.parse(data, file: path) {
        case .failure(let error): throw error
        case .success(let parsed): tree = parsed
        }
        let list: ListedPrices
        switch format {
        case .litellm: list = try LiteLLMPrices(tree)
        case .openrouter: list = try OpenRouterPrices(tree)
        }
        return PriceImport(format: format, path: path, list: list, names: names, current: current, asOf: asOf)
    }

    private init(format: PriceListFormat, path: String, list: ListedPrices, names: PriceNameMap, current: PriceBook,
                 asOf: CalendarDay) {
        self.format = format
        imported = PriceBook()
        added = []
        changed = []
        unchanged = []
        leftOut = []
        notes = []
        let rows = names.rows(for: format)
        let mappedNames = Set(rows.map(\.name))
        unmappedCount = list.names.filter { !mappedNames.contains($0) }.count
        for row in rows {
            guard list.contains(row.name) else {
                leftOut.append(LeftOut(id: row.priceID, name: row.name, reason: "not in the file"))
                continue
            }
            switch list.price(of: row.name) {
            case .failure(let reason):
                leftOut.append(LeftOut(id: row.priceID, name: row.name, reason: reason.message))
            case .success(let read):
                var price = read.price
                price.asOf = asOf
                price.source = format.sourcePrefix + row.name
                notes += read.notes.map { "\(row.priceID) ('\(row.name)'): \($0)" }
                let entry = PriceBook.Entry(id: row.priceID, pricing: .tokens(price), origin: .file(path))
                imported.set(entry)
                if let before = current[row.priceID]?.pricing {
                    if before.samePrices(as: entry.pricing) {
                        unchanged.append(row.priceID)
                    } else {
                        changed.append(Change(id: row.priceID, before: before, after: entry.pricing))
                    }
                } else {
                    added.append(entry)
                }
            }
        }
    }
}

/// Why a listed entry yielded no price.
struct ImportProblem: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// A price read from a list, with notes about what was not carried over.
struct ListedPrice {
    var price: Price
    var notes: [String] = []
}

/// An outside price list, read.
protocol ListedPrices {
    /// Every entry's name, in file order.
    var names: [String] { get }
    /// Whether the list has an entry named `name`.
    func contains(_ name: String) -> Bool
    /// The price of the entry named `name`, or why it has none.
    func price(of name: String) -> Result<ListedPrice, ImportProblem>
}

extension JSONTree.Node {
    /// A price per token, from a JSON number or a numeric string, as USD per million tokens.
    ///
    /// - Throws: `ImportProblem` naming `field` when the value is not a decimal number or is
    ///   negative.
    func perMillion(_ field: String) throws(ImportProblem) -> Decimal {
        try perUnit(field) * 1_000_000
    }

    /// A price in USD, from a JSON number or a numeric string.
    func perUnit(_ field: String) throws(ImportProblem) -> Decimal {
        guard let text = scalarText, YAMLDocument.isDecimal(text), let value = Decimal(string: text) else {
            throw ImportProblem("'\(field)' is not a number (got \(kindDescription))")
        }
        guard value >= 0 else { throw ImportProblem("'\(field)' is negative (\(text)): the price varies, e.g. by routed model") }
        return value
    }

    /// A whole number of tokens (`256000`, `256000.0`).
    func tokenCount(_ field: String) throws(ImportProblem) -> Int {
        guard let text = scalarText, YAMLDocument.isDecimal(text), let value = Decimal(string: text),
              value >= 0, value < 1_000_000_000_000
        else { throw ImportProblem("'\(field)' is not a token count (got \(kindDescription))") }
        let rounded = value.rounded()
        guard rounded == value else { throw ImportProblem("'\(field)' is not a whole number of tokens (\(text))") }
        return (rounded as NSDecimalNumber).intValue
    }
}
