import Foundation

/// What a reply may claim to have used, given the request it answers: provider replies are
/// untrusted input, and their usage goes straight into cost and the budget.
///
/// A count that no provider could truthfully send — negative, more output than the request
/// allowed, more input than the prompt could make — is set aside: the call keeps its answer and
/// grade, its tokens are estimated from the request and the answer (as when a provider sends no
/// usage) and `Usage.untrustedReason` says why. A reported charge below zero, or far beyond what
/// the request could cost at the catalog's prices, is set aside the same way. Applied to every
/// reply and to the usage of every failed attempt, after the wire format has read them.
struct UsageCheck: Sendable {
    /// The most input tokens the prompt could be: a token is at least one byte of text, plus the
    /// chat template's tokens per message and room for a system prompt the host adds.
    let maxInputTokens: Int
    /// The most output tokens the request allowed, with slack for hosts that overshoot a little
    /// and, for Gemini, thoughts (which may come on top of `maxOutputTokens`).
    let maxOutputTokens: Int
    /// The most the request could cost at the catalog's prices, times a wide margin (a provider's
    /// own charge may differ from the catalog's); nil for an unpriced model. Worked out only for
    /// a reply that reports a charge: pricing every request's worst case in `Decimal` was 2.5%
    /// of the runner's CPU per call.
    var maxReportedCostMicros: Int64? {
        price.map { price in
            let worst = price.costMicros(of: Usage(uncachedInputTokens: maxInputTokens, outputTokens: maxOutputTokens,
                                                   source: .estimated))
            let (scaled, overflow) = max(worst, 10_000).multipliedReportingOverflow(by: Self.reportedCostMargin)
            return overflow ? .max : scaled
        }
    }
    /// The model's price.
    private let price: Price?

    /// Tokens a host may add to a prompt (a system prompt of its own, tool definitions).
    static let hostPromptTokens = 4_096
    /// Chat-template tokens per message (role markers, separators).
    static let tokensPerMessage = 32
    /// Tokens of thought Gemini may report beyond `maxOutputTokens` (its largest thinking budget).
    static let geminiThoughtTokens = 32_768
    /// How far a reported charge may exceed the request's cost at catalog prices.
    static let reportedCostMargin: Int64 = 100

    /// The bounds for `chat` sent to `model`.
    init(for chat: ChatRequest, model: ModelEntry) {
        let promptBytes = chat.messages.reduce(0) { $0 + $1.content.utf8.count } + chat.structureBytes
            + chat.imageCount * ChatImage.maxTokens
        maxInputTokens = promptBytes + Self.tokensPerMessage * chat.messages.count + Self.hostPromptTokens
        // Extra body fields override Tradeoff's own `max_tokens`: the larger of them is the limit.
        var requested = chat.maxTokens
        for value in Self.outputLimits(in: .object(model.extraBody)) { requested = max(requested, value) }
        requested = min(requested, 1 << 40)
        var allowed = requested + requested / 4 + 64
        if model.provider == .gemini {
            allowed += max(Self.geminiThoughtTokens, Self.thinkingBudget(in: model.extraBody) ?? 0)
        }
        maxOutputTokens = allowed
        price = model.price
    }

    /// Why `usage` cannot be true of the request; nil when it can.
    func problem(with usage: Usage) -> String? {
        let parts = [("input", usage.uncachedInputTokens), ("cache read", usage.cacheReadTokens),
                     ("cache write", usage.cacheWriteTokens), ("output", usage.outputTokens),
                     ("reasoning", usage.reasoningTokens)]
        if let (name, count) = parts.first(where: { $0.1 < 0 }) {
            return "the provider reported \(count) \(name) tokens, below zero"
        }
        var input = 0
        for part in [usage.uncachedInputTokens, usage.cacheReadTokens, usage.cacheWriteTokens] {
            let (sum, overflow) = input.addingReportingOverflow(part)
            input = overflow ? .max : sum
        }
        if input > maxInputTokens {
            return "the provider reported \(input) input tokens, more than the prompt could make (at most \(maxInputTokens))"
        }
        if usage.outputTokens > maxOutputTokens {
            return "the provider reported \(usage.outputTokens) output tokens, more than the request allowed "
                + "(at most \(maxOutputTokens))"
        }
        return nil
    }

    /// `reply` with its usage and charge checked: what cannot be true is replaced by an estimate
    /// from the request and the answer, and flagged.
    func checked(_ reply: consuming ProviderReply, for chat: ChatRequest) -> ProviderReply {
        if reply.usage.source == .reported, let problem = problem(with: reply.usage) {
            reply.usage = Self.estimate(for: chat, answer: reply.text, because: problem)
        }
        if let reported = reply.reportedCostMicros, let problem = problem(withCharge: reported) {
            reply.reportedCostMicros = nil
            if reply.usage.untrustedReason == nil { reply.usage.untrustedReason = problem }
        }
        return reply
    }

    /// `error` with the usage its failed attempt reported checked: an attempt that cannot have
    /// used what it says is billed as an estimate of its prompt, flagged.
    func checked(_ error: CallError, for chat: ChatRequest) -> CallError {
        guard let usage = error.billedUsage, usage.source == .reported, let problem = problem(with: usage) else {
            return error
        }
        var error = error
        error.billedUsage = Self.estimate(for: chat, answer: "", because: problem)
        return error
    }

    /// Why a reported charge of `micros` cannot be true of the request; nil when it can.
    func problem(withCharge micros: Int64) -> String? {
        if micros < 0 { return "the provider reported a charge of \(Money.format(micros: micros)), below zero" }
        if let bound = maxReportedCostMicros, micros > bound {
            return "the provider reported a charge of \(Money.format(micros: micros)), more than "
                + "\(Self.reportedCostMargin) times what the request could cost at the catalog's prices"
        }
        return nil
    }

    private static func estimate(for chat: ChatRequest, answer: String, because problem: String) -> Usage {
        var usage = Usage.estimated(for: chat, answer: answer)
        usage.untrustedReason = problem
        return usage
    }

    /// The output limits an extra body sets: `max_tokens`, `max_completion_tokens`,
    /// `max_output_tokens` and Gemini's `maxOutputTokens`, at any depth (`generationConfig`).
    private static func outputLimits(in value: JSONValue) -> [Int] {
        switch value {
        case .object(let members):
            return members.flatMap { name, member -> [Int] in
                if outputLimitNames.contains(name), let limit = integer(member) { return [limit] }
                return outputLimits(in: member)
            }
        case .array(let elements):
            return elements.flatMap(outputLimits)
        default:
            return []
        }
    }

    /// The names `outputLimits(in:)` looks for; made once, not for every call.
    private static let outputLimitNames: Set = ["max_tokens", "max_completion_tokens", "max_output_tokens", "maxOutputTokens"]

    /// Gemini's `generationConfig.thinkingConfig.thinkingBudget`, when the extra body sets one.
    private static func thinkingBudget(in body: [String: JSONValue]) -> Int? {
        guard case .object(let config)? = body["generationConfig"], case .object(let thinking)? = config["thinkingConfig"]
        else { return nil }
        return thinking["thinkingBudget"].flatMap(integer)
    }

    private static func integer(_ value: JSONValue) -> Int? {
        switch value {
        case .integer(let number): number
        case .number(let number) where number.isFinite && abs(number) < 1e15: Int(number)
        default: nil
        }
    }
}
