import Foundation

/// The JSON of OpenRouter's `GET /api/v1/models`: `{"data": [{"id": "openai/gpt-4o",
/// "pricing": {...}}, ...]}`, prices as strings of USD per token.
///
/// Read from `pricing`: `prompt`, `completion`, `input_cache_read`, `input_cache_write`,
/// `request`, and `overrides` entries conditioned on `min_prompt_tokens` (long-context tiers;
/// an override applies from that many prompt tokens, so its tier is above one token fewer).
/// `"0"` is a real price for `prompt` and `completion` (free models); for the cache prices and
/// `request` it means there is no such price. Overrides with other conditions (time windows)
/// are left out, with a note.
struct OpenRouterPrices: ListedPrices {
    private let entries: [String: JSONTree.Node]
    let names: [String]

    init(_ tree: JSONTree) throws(DiagnosticsError) {
        let list: JSONTree.Node
        if case .array = tree.root.value {
            list = tree.root
        } else if let data = tree.root["data"], case .array = data.value {
            list = data
        } else {
            throw DiagnosticsError([tree.error("an OpenRouter model list is the JSON of /api/v1/models: an object with a "
                                               + "'data' array of models, got \(tree.root.kindDescription)",
                                               at: tree.root)])
        }
        guard case .array(let models) = list.value else { throw DiagnosticsError([]) }
        var entries: [String: JSONTree.Node] = [:]
        var names: [String] = []
        for model in models {
            guard let id = model["id"]?.scalarText else {
                throw DiagnosticsError([tree.error("every model in the list needs an 'id' string", at: model)])
            }
            if entries[id] == nil { names.append(id) }
            entries[id] = model
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

    /// Price keys of `pricing` and its overrides; any other key of an override is a condition.
    static let priceKeys: Set<String> = ["prompt", "completion", "request", "image", "image_token", "image_output",
                                         "audio", "input_audio_cache", "web_search", "internal_reasoning",
                                         "input_cache_read", "input_cache_write", "input_cache_write_1h", "discount"]

    static func price(_ entry: JSONTree.Node) throws(ImportProblem) -> ListedPrice {
        guard let pricing = entry["pricing"], pricing.members != nil else {
            throw ImportProblem("it has no 'pricing' object")
        }
        func required(_ key: String) throws(ImportProblem) -> Decimal {
            guard let value = pricing[key] else { throw ImportProblem("its pricing has no '\(key)'") }
            return try value.perMillion("pricing.\(key)")
        }
        /// A price where "0" means "no such price".
        func positive(_ key: String, in node: JSONTree.Node = pricing, perMillion: Bool = true)
            throws(ImportProblem) -> Decimal?
        {
            guard let value = node[key] else { return nil }
            if case .null = value.value { return nil }
            let amount = perMillion ? try value.perMillion("pricing.\(key)") : try value.perUnit("pricing.\(key)")
            return amount > 0 ? amount : nil
        }
        var price = Price(inputPerMillion: try required("prompt"), outputPerMillion: try required("completion"),
                          cachedInputPerMillion: try positive("input_cache_read"),
                          cacheWritePerMillion: try positive("input_cache_write"),
                          perRequest: try positive("request", perMillion: false))
        var notes: [String] = []
        if let overrides = pricing["overrides"] {
            guard case .array(let items) = overrides.value else {
                throw ImportProblem("'pricing.overrides' is \(overrides.kindDescription), not an array")
            }
            var tiers: [Int: PriceTier] = [:]
            for item in items {
                let conditions = (item.members ?? []).map(\.key).filter { !priceKeys.contains($0) }
                guard conditions == ["min_prompt_tokens"], let threshold = item["min_prompt_tokens"] else {
                    let described = conditions.isEmpty ? "no condition" : conditions.joined(separator: ", ")
                    notes.append("a price override conditioned on \(described) was left out (only 'min_prompt_tokens' "
                                 + "tiers are imported)")
                    continue
                }
                // Applies from `min_prompt_tokens` on; a tier applies above its threshold.
                let above = max(1, try threshold.tokenCount("min_prompt_tokens") - 1)
                // Later overrides win per price key, as OpenRouter applies them.
                var tier = tiers[above] ?? PriceTier(aboveInputTokens: above)
                if let value = item["prompt"] { tier.inputPerMillion = try value.perMillion("prompt") }
                if let value = item["completion"] { tier.outputPerMillion = try value.perMillion("completion") }
                if let value = try positive("input_cache_read", in: item) { tier.cachedInputPerMillion = value }
                if let value = try positive("input_cache_write", in: item) { tier.cacheWritePerMillion = value }
                tiers[above] = tier
            }
            price.tiers = tiers.values.filter(\.hasPrices).sorted { $0.aboveInputTokens < $1.aboveInputTokens }
        }
        return ListedPrice(price: price, notes: notes)
    }
}
