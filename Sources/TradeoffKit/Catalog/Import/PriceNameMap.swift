import Foundation
import Yams

/// Which price catalog entry each name of an outside price list fills: the explicit table
/// `tradeoff prices import` follows. Names are matched exactly, never fuzzily.
///
///     litellm:                                   # LiteLLM's model_prices_and_context_window.json keys
///       openai/gpt-4o: gpt-4o
///       groq/llama-3.3-70b-versatile: groq/llama-3.3-70b-versatile
///     openrouter:                                # OpenRouter /api/v1/models ids
///       openrouter/openai/gpt-4o: openai/gpt-4o
///
/// Tradeoff ships one (`price-names.yaml`); `--map FILE` adds to it, a price id in both taking
/// the user's name.
public struct PriceNameMap: Sendable, Hashable {
    /// One row: the price id and the source's name for it.
    public struct Row: Sendable, Hashable {
        public var priceID: String
        public var name: String
    }

    private var rows: [PriceListFormat: [String: String]]

    /// A map with `rows` per source format (price id → the source's name).
    public init(_ rows: [PriceListFormat: [String: String]] = [:]) { self.rows = rows }

    /// The rows for `format`, by price id.
    public func rows(for format: PriceListFormat) -> [Row] {
        (rows[format] ?? [:]).map { Row(priceID: $0.key, name: $0.value) }.sorted { $0.priceID < $1.priceID }
    }

    /// This map with `other`'s rows laid over it.
    public func overlaid(with other: PriceNameMap) -> PriceNameMap {
        var merged = self
        for (format, rows) in other.rows {
            merged.rows[format, default: [:]].merge(rows) { $1 }
        }
        return merged
    }

    /// Reads a name map file.
    ///
    /// - Throws: `DiagnosticsError` with every problem, at its line and column.
    public static func load(path: String) throws -> PriceNameMap {
        var log = DiagnosticLog()
        let map: PriceNameMap?
        switch InputFile.text(atPath: path) {
        case .failure(let problem):
            log.add(Diagnostic(.error, file: path, line: nil, column: nil, message: "name map \(problem.message)"))
            map = nil
        case .success(let (_, text)):
            log.register(file: path)
            switch YAMLDocument.parse(text, file: path) {
            case .failure(let error):
                error.diagnostics.forEach { log.add($0) }
                map = nil
            case .success(let document):
                map = decode(document, log: &log)
            }
        }
        guard let map, !log.hasErrors else { throw DiagnosticsError(log.sorted) }
        return map
    }

    static func decode(_ document: YAMLDocument, log: inout DiagnosticLog) -> PriceNameMap? {
        let formats = PriceListFormat.allCases.map(\.rawValue)
        guard let root = document.root,
              let fields = document.fields(of: root, in: "name map", allowed: formats, log: &log)
        else {
            if document.root == nil {
                log.add(document.error("a name map must be a mapping like 'litellm: {openai/gpt-4o: gpt-4o}', "
                                       + "got an empty file", at: nil))
            }
            return nil
        }
        var map = PriceNameMap()
        for format in PriceListFormat.allCases {
            guard let node = fields[format.rawValue] else { continue }
            guard case .mapping(let mapping) = node else {
                log.add(document.error("'\(format.rawValue)' must map price ids to \(format.displayName) names, "
                                       + "got \(document.describe(node))", at: node))
                continue
            }
            var rows: [String: String] = [:]
            for (key, value) in mapping {
                guard let id = YAMLDocument.scalarText(key), PriceFile.isValidID(id) else {
                    log.add(document.error("a price id must be a name like 'openai/gpt-4o' (no spaces), got "
                                           + document.describe(key), at: key))
                    continue
                }
                guard let name = YAMLDocument.scalarText(value), !name.isEmpty else {
                    log.add(document.error("the \(format.displayName) name for '\(id)' must be a string, got "
                                           + document.describe(value), at: value))
                    continue
                }
                rows[id] = name
            }
            map.rows[format] = rows
        }
        return map
    }
}

/// The outside price lists Tradeoff imports.
public enum PriceListFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// LiteLLM's `model_prices_and_context_window.json`.
    case litellm
    /// The JSON of OpenRouter's `GET /api/v1/models`.
    case openrouter

    /// How messages name it.
    public var displayName: String {
        switch self {
        case .litellm: "LiteLLM"
        case .openrouter: "OpenRouter"
        }
    }

    /// What imported prices name as their source, followed by the entry's name.
    var sourcePrefix: String {
        switch self {
        case .litellm: "LiteLLM model_prices_and_context_window.json: "
        case .openrouter: "OpenRouter /api/v1/models: "
        }
    }
}
