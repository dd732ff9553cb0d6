import Foundation

/// What a simulated model produces for one request, the same in every wire format: the answer
/// (cut to the output limit), the pieces a stream sends it in, the usage and the delay.
struct Generation: Sendable {
    /// The model answering.
    var model: FakeProviderConfig.Model
    /// The request answered.
    var request: GenerationRequest
    /// The answer, cut to the output limit.
    var answer: String
    /// True when the output limit cut the answer (`length`, `max_tokens`, `MAX_TOKENS`).
    var isTruncated: Bool
    /// The billed tokens.
    var usage: TokenUsage
    /// Milliseconds before the response, or a stream's first event, is sent.
    var delayMs: Int
    /// Random hex shared by every chunk of one response; each format adds its own prefix.
    var id: String
    /// Unix seconds when the answer was made.
    var created: Int

    /// Simulates `model` answering `request`.
    init(model: FakeProviderConfig.Model, request: GenerationRequest) {
        let outcome = Simulator.outcome(model: model, messages: request.messages)
        var answer = outcome.answer
        var isTruncated = false
        if let limit = request.outputLimit(for: model.flavor), TokenCount.completion(answer) > limit {
            answer = String(answer.prefix(limit * TokenCount.charactersPerToken))
            isTruncated = true
        }
        self.model = model
        self.request = request
        self.answer = answer
        self.isTruncated = isTruncated
        self.usage = TokenUsage(prompt: TokenCount.prompt(request.messages),
                                answer: TokenCount.completion(answer), model: model)
        self.delayMs = outcome.delayMs
        self.id = RandomID.hex(bytes: 12)
        self.created = Int(Date().timeIntervalSince1970)
    }

    /// The answer in the pieces a stream sends: one per word, each with the whitespace before it.
    var pieces: [String] {
        var pieces: [String] = []
        var current = ""
        for character in answer {
            if character.isWhitespace, let last = current.last, !last.isWhitespace {
                pieces.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
