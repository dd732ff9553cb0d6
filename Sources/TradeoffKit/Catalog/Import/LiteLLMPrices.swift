import Foundation

/// LiteLLM's `model_prices_and_context_window.json`: an object keyed by model name (the first
/// key, `sample_spec`, documents the fields), prices in USD per single token.
///
/// Read: `input_cost_per_token`, `output_cost_per_token`, `cache_read_input_token_cost`,
/// `cache_creation_input_token_cost`, `cache_creation_input_token_cost_above_1hr` (1-hour cache
/// writes), `input_cost_per_request`, `*_batches` (batch prices), `*_above_<N>k_tokens` (a
/// long-context tier above N × 1000 prompt tokens) and `tiered_pricing` (`range: [from, to]`
/// bands; the band from 0 is the base price). Priority and flex prices, and prices per
/// character, second or image, are not read: an entry priced only so is left out, naming the
/// basis, and an imported one gets a note naming the prices it lost.
struct LiteLLMPrices: ListedPrices {
    private let entries: [String: JSONTree.Node]
    let names: [String]

    init(_ tree: JSONTree) throws(DiagnosticsError) {
        guard let members = tree.root.members else {
            throw DiagnosticsError([tree.error("a LiteLLM price file is a JSON object keyed by model name, got "
                                               + tree.root.kindDescription, at: tree.root)])
        }
        var entries: [String: JSONTree.Node] = [:]
        var names: [String] = []
        for member in members where member.key != "sample_spec" {
            if entries[member.key] == nil { names.append(member.key) }
            entries[member.key] = member.value
        }
        self.entries = entries
        self.names = names
    }

    func contains(_ name: String) -> Bool { entries[name] != nil }

    func price(of name: String) -> Result<ListedPrice, ImportProblem> {
        guard let entry = entries[name] else { return .failure(ImportProblem("not in the file")) }
        do {
            return .success(try Self.price(entry))
        } catch {
            return .failure(error)
        }
    }

    static func price(_ entry: JSONTree.Node) throws(ImportProblem) -> ListedPrice {
        guard entry.members != nil else { throw ImportProblem("the entry is \(entry.kindDescription), not an object") }
        func optional(_ key: String, in node: JSONTree.Node = entry) throws(ImportProblem) -> Decimal? {
            guard let value = node[key], !isNull(value) else { return nil }
            return try value.perMillion(key)
        }

        // `tiered_pricing` bands: the band from 0 is the base, the others are tiers.
        var bands: [(from: Int, input: Decimal?, output: Decimal?, cached: Decimal?)] = []
        if let tiered = entry["tiered_pricing"] {
            guard case .array(let items) = tiered.value else {
                throw ImportProblem("'tiered_pricing' is \(tiered.kindDescription), not an array")
            }
            for item in items {
                guard let range = item["range"], case .array(let bounds) = range.value, let lower = bounds.first else {
                    throw ImportProblem("a 'tiered_pricing' band has no 'range: [from, to]'")
                }
                bands.append((try lower.tokenCount("range"), try optional("input_cost_per_token", in: item),
                              try optional("output_cost_per_token", in: item),
                              try optional("cache_read_input_token_cost", in: item)))
            }
            bands.sort { $0.from < $1.from }
        }
        let base = bands.first { $0.from == 0 }
        let unread = Self.unreadPrices(entry)
        guard let input = try optional("input_cost_per_token") ?? base?.input else {
            if let other = unread.first(where: { $0.basis != nil }), let basis = other.basis {
                throw ImportProblem("it is priced \(basis) (\(other.keys)), not per token")
            }
            let mode = entry["mode"]?.scalarText.map { " (mode: \($0))" } ?? ""
            throw ImportProblem("it has no 'input_cost_per_token'\(mode)")
        }
        guard let output = try optional("output_cost_per_token") ?? base?.output else {
            throw ImportProblem("it has no 'output_cost_per_token'")
        }
        var price = Price(inputPerMillion: input, outputPerMillion: output,
                          cachedInputPerMillion: try optional("cache_read_input_token_cost") ?? base?.cached,
                          cacheWritePerMillion: try optional("cache_creation_input_token_cost"),
                          cacheWrite1hPerMillion: try optional("cache_creation_input_token_cost_above_1hr"))
        if let fee = entry["input_cost_per_request"], !isNull(fee) {
            let value = try fee.perUnit("input_cost_per_request")
            if value > 0 { price.perRequest = value }
        }
        let batchInput = try optional("input_cost_per_token_batches")
        let batchOutput = try optional("output_cost_per_token_batches")
        if batchInput != nil || batchOutput != nil {
            price.batch = BatchPrice(inputPerMillion: batchInput, outputPerMillion: batchOutput)
        }

        var tiers: [Int: PriceTier] = [:]
        for member in entry.members ?? [] {
            guard let match = member.key.wholeMatch(of: /(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost|cache_creation_input_token_cost_above_1hr)_above_([0-9]+)k_tokens/), let thousands = Int(match.2), !isNull(member.value)
            else { continue }
            let above = thousands * 1000
            var tier = tiers[above] ?? PriceTier(aboveInputTokens: above)
            let value = try member.value.perMillion(member.key)
            switch match.1 {
            case "input_cost_per_token": tier.inputPerMillion = value
            case "output_cost_per_token": tier.outputPerMillion = value
            case "cache_read_input_token_cost": tier.cachedInputPerMillion = value
            case "cache_creation_input_token_cost": tier.cacheWritePerMillion = value
            default: tier.cacheWrite1hPerMillion = value
            }
            tiers[above] = tier
        }
        for band in bands where band.from > 0 && tiers[band.from] == nil {
            tiers[band.from] = PriceTier(aboveInputTokens: band.from, inputPerMillion: band.input,
                                         outputPerMillion: band.output, cachedInputPerMillion: band.cached)
        }
        price.tiers = tiers.values.filter(\.hasPrices).sorted { $0.aboveInputTokens < $1.aboveInputTokens }
        return ListedPrice(price: price, notes: unread.isEmpty ? [] : [
            "left out its " + unread.map { "\($0.kind) prices (\($0.keys))" }.joined(separator: " and "),
        ])
    }

    /// The prices of `entry` Tradeoff does not read, by kind, with their keys quoted: those on
    /// another basis than tokens (`basis` says which), and the priority and flex service tiers
    /// (calls are costed at the standard tier).
    private static func unreadPrices(_ entry: JSONTree.Node) -> [(kind: String, basis: String?, keys: String)] {
        let keys = (entry.members ?? []).filter { $0.key.contains("cost") && !isNull($0.value) }.map(\.key)
        let kinds: [(kind: String, basis: String?, marker: String)] = [
            ("per-character", "per character", "_per_character"), ("per-second", "per second", "_per_second"),
            ("per-image", "per image", "_per_image"), ("priority-tier", nil, "_priority"), ("flex-tier", nil, "_flex"),
        ]
        return kinds.compactMap { kind, basis, marker in
            let found = keys.filter { $0.contains(marker) }.sorted()
            return found.isEmpty ? nil : (kind, basis, found.map { "'\($0)'" }.joined(separator: ", "))
        }
    }

    private static func isNull(_ node: JSONTree.Node) -> Bool {
        if case .null = node.value { return true }
        return false
    }
}
