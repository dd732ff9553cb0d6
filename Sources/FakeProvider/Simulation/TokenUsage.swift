import Foundation

/// The tokens one answer is billed for, split the way every provider can report them; each
/// wire format combines the parts its own way (see PROVIDERS.md).
struct TokenUsage: Sendable, Hashable {
    /// Every prompt token, cache reads and writes included.
    var prompt: Int
    /// Prompt tokens read from the cache (part of ``prompt``).
    var cacheRead: Int
    /// Prompt tokens written to the cache (part of ``prompt``), 5-minute and 1-hour writes
    /// together; only Anthropic reports them.
    var cacheWrite: Int
    /// The 1-hour part of ``cacheWrite``.
    var cacheWrite1h: Int
    /// Tokens of the visible answer.
    var answer: Int
    /// Hidden reasoning tokens.
    var reasoning: Int

    /// Everything billed as output: the answer and the reasoning.
    var output: Int { answer + reasoning }
    /// Prompt and output.
    var total: Int { prompt + output }
    /// Prompt tokens neither read from nor written to the cache (Anthropic's `input_tokens`).
    var uncachedPrompt: Int { prompt - cacheRead - cacheWrite }

    /// The 5-minute part of ``cacheWrite``.
    var cacheWrite5m: Int { cacheWrite - cacheWrite1h }

    /// Usage for `prompt` and `answer` tokens with `model`'s cache and reasoning settings; the
    /// cache counts are capped so the parts never exceed the prompt. A 1-hour write is context
    /// sent on top of the prompt, so it adds to it.
    init(prompt: Int, answer: Int, model: FakeProviderConfig.Model) {
        self.prompt = prompt + model.cacheWrite1hTokens
        self.cacheRead = min(model.cachedTokens, prompt)
        self.cacheWrite1h = model.cacheWrite1hTokens
        self.cacheWrite = min(model.cacheWriteTokens, prompt - cacheRead) + model.cacheWrite1hTokens
        self.answer = answer
        self.reasoning = model.reasoningTokens
    }

    /// USD for these tokens at `price` (cache reads at the input price), or 0 without a price.
    func cost(at price: FakeProviderConfig.Price?) -> Decimal {
        guard let price else { return 0 }
        return (Decimal(prompt) * price.input + Decimal(output) * price.output) / 1_000_000
    }
}
