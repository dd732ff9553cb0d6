import Foundation

extension FakeProviderConfig {
    /// The OpenAI-compatible host a model's `/v1/chat/completions` imitates. The hosts differ
    /// in where streamed usage goes and in what they add to it; the other wire formats ignore it.
    public enum Flavor: String, Sendable, Hashable, CaseIterable {
        /// OpenAI: streamed usage only with `stream_options.include_usage`, on an extra chunk
        /// with `choices: []`.
        case openai
        /// OpenRouter: usage always, with `cost` (USD), on the final chunk that still has
        /// choices; `provider` in every chunk; `: OPENROUTER PROCESSING` comments first.
        case openrouter
        /// Groq: streamed usage at `x_groq.usage` on the final chunk; usage carries server timings.
        case groq
        /// vLLM: like OpenAI (no streamed usage without `include_usage`).
        case vllm
        /// Ollama: like OpenAI, but reads `max_tokens` only (ignores `max_completion_tokens`).
        case ollama
        /// Together: top-level `usage` on the last chunk, always.
        case together
    }

    /// A price in USD per million tokens.
    public struct Price: Sendable, Hashable {
        /// USD per million prompt tokens.
        public var input: Decimal
        /// USD per million output tokens (reasoning included).
        public var output: Decimal

        /// Creates a price.
        /// - Parameters:
        ///   - input: USD per million prompt tokens.
        ///   - output: USD per million output tokens.
        public init(input: Decimal, output: Decimal) {
            self.input = input
            self.output = output
        }
    }
}
