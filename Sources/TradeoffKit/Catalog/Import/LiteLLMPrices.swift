import Foundation

/// LiteLLM's `model_prices_and_context_window.json`: an object keyed by model name (the first
/// key, `sample_spec`, documents the fields), prices in USD per single token.
///
/// Read: `input_cost_per_token`, `output_cost_per_token`, `cache_read_input_token_cost`,
/// `cache_creation_input_token_cost`, `cache_creation_input_token_cost_above_1hr` (1-hour cache
/// writes), `input_cost_per_request`, `*_batches` (batch prices), `*_above_<N>k_tokens` (a
/// long-context tier above N × 1000 prompt tokens) and `tiered_pricing` (`range: [from, to]`
/// bands; the band from 0 is the base price). Priority and flex prices, and audio, image and
/// video prices, are not Tradeoff's concern.
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
        guard let input = try optional("input_cost_per_token") ?? base?.input else {
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
        return ListedPrice(price: price)
    }

    private static func isNull(_ node: JSONTree.Node) -> Bool {
        if case .null = node.value { return true }
        return false
    }
}
