import Foundation

/// What a simulated model produces for one request, the same in every wire format: the answer
/// (cut to the output limit), the pieces a stream sends it in, the usage and the delay.
struct Generation: Sendable {
    /// The model answering.
    var model: FakeProviderConfig.Model
    /// The request answered.
    var request: GenerationRequest
    /// The answer, cut to the output limit; empty when the model called tools.
    var answer: String
    /// The tools the model called instead of answering in text.
    var toolCalls: [SimulatedCall] = []
    /// True when the output limit cut the answer (`length`, `max_tokens`, `MAX_TOKENS`).
    var isTruncated: Bool
    /// Whether the simulation meant the answer to be right.
    var isCorrect: Bool
    /// The request hash the answer was derived from.
    var hash: UInt64
    /// The billed tokens.
    var usage: TokenUsage
    /// Milliseconds before the response, or a stream's first event, is sent.
    var delayMs: Int
    /// Random hex shared by every chunk of one response; each format adds its own prefix.
    var id: String
    /// Unix seconds when the answer was made.
    var created: Int

    /// Simulates `model` answering `request`, from `answerKey` when the model is simulated and
    /// the key holds the request's case.
    init(model: FakeProviderConfig.Model, request: GenerationRequest, answerKey: AnswerKey? = nil) {
        let outcome = Simulator.outcome(model: model, messages: request.messages, answerKey: answerKey)
        var answer = outcome.answer
        let calls = ToolSimulation.calls(model: model, request: request, hash: outcome.hash)
        let fromKey = model.simulated != nil && answerKey?.entry(for: request.messages) != nil
        if calls != nil {
            answer = ""
        } else if let schema = request.schema, model.structuredOutput != .ignored, !fromKey {
            answer = ToolSimulation.structuredAnswer(model: model, request: request, schema: schema, hash: outcome.hash)
        }
        var isTruncated = false
        if let limit = request.outputLimit(for: model.flavor), TokenCount.completion(answer) > limit {
            answer = String(answer.prefix(limit * TokenCount.charactersPerToken))
            isTruncated = true
        }
        self.model = model
        self.request = request
        self.answer = answer
        self.isTruncated = isTruncated
        self.isCorrect = outcome.isCorrect
        self.hash = outcome.hash
        toolCalls = calls ?? []
        let spoken = answer + (calls ?? []).map { $0.name + $0.arguments.text }.joined()
        self.usage = TokenUsage(prompt: TokenCount.prompt(request.messages),
                                answer: TokenCount.completion(spoken), model: model)
        self.delayMs = outcome.delayMs
        self.id = RandomID.hex(bytes: 12)
        self.created = Int(Date().timeIntervalSince1970)
    }

    /// The answer in the pieces a stream sends: one per word, each with the whitespace before it.
    var pieces: [String] { Self.pieces(of: answer) }

    /// Tool arguments in the pieces a stream sends them in: 16 characters at a time.
    static func argumentPieces(_ text: String) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(16)))
            rest = rest.dropFirst(16)
        }
        return pieces
    }

    /// `text` in the pieces a stream sends it in.
    static func pieces(of answer: String) -> [String] {
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
