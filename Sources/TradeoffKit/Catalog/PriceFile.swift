import Foundation
import Yams

/// Price files: YAML whose top-level `prices:` maps ids to dated, sourced prices.
///
///     prices:
///       openai/gpt-4o:
///         input: 2.5             # USD per million uncached input tokens
///         cached_input: 1.25     # cache reads
///         output: 10
///         batch: {input: 1.25, output: 5}
///         as_of: 2026-11-25
///         source: "https://openai.com/api/pricing"
///
/// The shipped price catalog, the files `tradeoff prices import` writes and the files a model
/// catalog names with `prices:` all have this form; every entry needs `as_of` and `source`.
public enum PriceFile {
    /// Top-level keys, and the keys of an entry; `schemas/prices.schema.json` is tested against
    /// these lists.
    static let fileKeys = ["prices"]
    static let entryKeys = PriceFields.tokenKeys + PriceFields.hourlyKeys + PriceFields.provenanceKeys

    /// Reads the price file at `path`.
    ///
    /// - Parameters:
    ///   - path: The file, as the user named it (diagnostics use this name).
    ///   - origin: What its entries say they came from; the file by default.
    /// - Returns: Its prices.
    /// - Throws: `DiagnosticsError` with every problem found, at its line and column.
    public static func load(path: String, origin: PriceBook.Origin? = nil) throws -> PriceBook {
        var log = DiagnosticLog()
        let book = load(path: path, origin: origin ?? .file(path), referencedBy: nil, log: &log)
        guard let book, !log.hasErrors else { throw DiagnosticsError(log.sorted) }
        return book
    }

    /// Reads the price file at `path`, reporting problems to `log` — at `reference` when the
    /// file cannot be read and another file names it.
    static func load(path: String, origin: PriceBook.Origin, referencedBy reference: (YAMLDocument, Node)?,
                     log: inout DiagnosticLog) -> PriceBook?
    {
        switch InputFile.text(atPath: path) {
        case .failure(let problem):
            if let (document, node) = reference {
                log.add(document.error("price file '\(path)' \(problem.message)", at: node))
            } else {
                log.add(Diagnostic(.error, file: path, line: nil, column: nil, message: "price file \(problem.message)"))
            }
            return nil
        case .success(let (_, text)):
            return decode(text, file: path, origin: origin, log: &log)
        }
    }

    /// The prices in `text`.
    static func decode(_ text: String, file: String, origin: PriceBook.Origin, log: inout DiagnosticLog) -> PriceBook? {
        log.register(file: file)
        switch YAMLDocument.parse(text, file: file) {
        case .failure(let error):
            error.diagnostics.forEach { log.add($0) }
            return nil
        case .success(let document):
            return decode(document, origin: origin, log: &log)
        }
    }

    static func decode(_ document: YAMLDocument, origin: PriceBook.Origin, log: inout DiagnosticLog) -> PriceBook? {
        guard let root = document.root, case .mapping = root else {
            let got = document.root.map(document.describe) ?? "an empty file"
            log.add(document.error("a price file must be a mapping with a 'prices:' mapping of ids to prices, got \(got)",
                                   at: document.root?.mark))
            return nil
        }
        guard let fields = document.fields(of: root, in: "price file", allowed: fileKeys, required: fileKeys, log: &log),
              let pricesNode = fields["prices"]
        else { return nil }
        guard case .mapping(let mapping) = pricesNode else {
            log.add(document.error("'prices' must be a mapping of ids to prices, like 'openai/gpt-4o: {input: 2.5, "
                                   + "output: 10, as_of: 2026-11-25, source: ...}', got \(document.describe(pricesNode))",
                                   at: pricesNode))
            return nil
        }
        var book = PriceBook()
        for (key, value) in mapping {
            guard let id = YAMLDocument.scalarText(key), isValidID(id) else {
                log.add(document.error("a price id must be a name like 'openai/gpt-4o' (no spaces), got "
                                       + document.describe(key), at: key))
                continue
            }
            let context = "price '\(id)'"
            guard let entryFields = document.fields(of: value, in: context,
                                                    allowed: entryKeys, required: PriceFields.provenanceKeys,
                                                    log: &log)
            else { continue }
            let priceFields = PriceFields(entryFields, context: context, in: document, log: &log)
            guard let pricing = priceFields.pricing(entryFields, context: context, in: document, log: &log) else { continue }
            let location = key.mark.map { SourceLocation(file: document.file, line: $0.line, column: $0.column) }
            book.set(PriceBook.Entry(id: id, pricing: pricing, origin: origin, location: location))
        }
        return book
    }

    /// Whether `id` can name a price: non-empty, printable, no spaces.
    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && !id.contains(where: { $0.isWhitespace || $0.isNewline }) && !id.hasPrefix("-")
    }

    /// The YAML text of `book`, entries sorted by id, each with every field it has.
    ///
    /// - Parameter header: Comment lines (without `#`) written at the top.
    public static func yaml(_ book: PriceBook, header: [String]) -> String {
        var lines = header.map { $0.isEmpty ? "#" : "# " + $0 }
        lines.append("prices:")
        for entry in book.entries {
            lines.append("  \(key(entry.id)):")
            switch entry.pricing {
            case .tokens(let price):
                lines.append("    input: \(price.inputPerMillion)")
                if let value = price.cachedInputPerMillion { lines.append("    cached_input: \(value)") }
                if let value = price.cacheWritePerMillion { lines.append("    cache_write: \(value)") }
                if let value = price.cacheWrite1hPerMillion { lines.append("    cache_write_1h: \(value)") }
                lines.append("    output: \(price.outputPerMillion)")
                if let value = price.perRequest { lines.append("    per_request: \(value)") }
                if let batch = price.batch {
                    let parts = [batch.inputPerMillion.map { "input: \($0)" }, batch.outputPerMillion.map { "output: \($0)" }]
                    lines.append("    batch: {\(parts.compactMap { $0 }.joined(separator: ", "))}")
                }
                if !price.tiers.isEmpty {
                    lines.append("    tiers:")
                    for tier in price.tiers {
                        let parts = ["above: \(tier.aboveInputTokens)", tier.inputPerMillion.map { "input: \($0)" },
                                     tier.cachedInputPerMillion.map { "cached_input: \($0)" },
                                     tier.cacheWritePerMillion.map { "cache_write: \($0)" },
                                     tier.cacheWrite1hPerMillion.map { "cache_write_1h: \($0)" },
                                     tier.outputPerMillion.map { "output: \($0)" }]
                        lines.append("      - {\(parts.compactMap { $0 }.joined(separator: ", "))}")
                    }
                }
            case .hourly(let price):
                lines.append("    per_hour_usd: \(price.perHour)")
                lines.append("    replicas: \(price.replicas)")
                if let value = price.utilization { lines.append("    utilization: \(value)") }
                if let value = price.throughput {
                    let concurrency = value.concurrency.map { ", concurrency: \($0)" } ?? ""
                    lines.append("    throughput: {\(value.unit.rawValue): \(value.perSecond)\(concurrency)}")
                }
            }
            if let asOf = entry.pricing.asOf { lines.append("    as_of: \(asOf)") }
            if let source = entry.pricing.source { lines.append("    source: \(quoted(source))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comment lines at the top of a price file, without their `#` and one space, for
    /// writing the file again with `yaml(_:header:)`; empty when it starts with no comment.
    public static func leadingComment(of text: String) -> [String] {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("#") else { break }
            var body = line.dropFirst()
            if body.hasPrefix(" ") { body = body.dropFirst() }
            lines.append(String(body))
        }
        return lines
    }

    /// An id as a YAML key: plain when it is safe, else double-quoted.
    private static func key(_ id: String) -> String {
        id.wholeMatch(of: /[A-Za-z0-9][A-Za-z0-9._\/+-]*/) != nil ? id : quoted(id)
    }

    /// A YAML double-quoted string.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
