/// Decides what a simulated model answers, and how long it takes, from the request alone.
///
/// Everything derives from one hash, `h = FNV-1a 64(model name + "\0" + messages text)` where the
/// messages text is each message as `role: content` (each image adding ` [image HEX]`, the FNV-1a
/// of its bytes), joined by newlines. The same request always
/// gets the same answer and the same delay. A judge prompt gets a verdict (`JudgeSimulation`).
/// A model with `simulated:` answers a case of the answer key from its expected value, right at
/// its accuracy on the case's task.
///
/// In a conversation the question is the last user turn (its family decides the answer), while
/// every earlier turn is part of the hash: the same question after another exchange is another
/// request, whose answer may be right where the first was wrong.
struct Simulator: Sendable {
    /// What the model answers to one request.
    struct SimulatedAnswer: Sendable, Hashable {
        /// The full answer, before any `max_tokens` truncation.
        var answer: String
        /// Whether the simulation meant the answer to be correct (always false for unknown tasks).
        var isCorrect: Bool
        /// The recognised task family.
        var family: TaskFamily
        /// Milliseconds to wait before responding: `latency_ms ± jitter_ms`, never negative.
        var delayMs: Int
        /// The request hash everything was derived from.
        var hash: UInt64
    }

    /// The request hash.
    static func hash(model: String, messages: [ChatMessage]) -> UInt64 {
        // An image joins its message as its bytes' hash, so another picture is another request.
        let text = messages.map { message in
            "\(message.role): \(message.content)" + message.images.map { " [image \(String($0.digest, radix: 16))]" }.joined()
        }.joined(separator: "\n")
        return FNV1a.hash(model + "\u{0}" + text)
    }

    /// The outcome of `messages` sent to `model`, which answers from `answerKey` when it is simulated.
    static func outcome(model: FakeProviderConfig.Model, messages: [ChatMessage],
                        answerKey: AnswerKey? = nil) -> SimulatedAnswer {
        let h = hash(model: model.name, messages: messages)
        if let judging = JudgeSimulation(messages: messages) {
            let (verdict, judgedRight) = judging.reply(model: model, hash: h)
            return SimulatedAnswer(answer: verdict, isCorrect: judgedRight, family: .unknown, delayMs: delay(model, h), hash: h)
        }
        if let simulated = model.simulated, let entry = answerKey?.entry(for: messages) {
            let accuracy = simulated.accuracy(onTask: entry.taskID)
            let isCorrect = keyDraw(model: model.name, position: entry.position) < accuracy
            let answer = isCorrect ? entry.expected.right : entry.expected.wrong(variation: h >> 24)
            return SimulatedAnswer(answer: answer, isCorrect: isCorrect, family: .unknown, delayMs: delay(model, h), hash: h)
        }
        let question = messages.last { $0.role == "user" }
        let family = TaskFamily(prompt: question?.content ?? "", images: question?.images ?? [])
        // The low digits decide correctness; the wrong answer and the jitter use other bits, so
        // they do not correlate with it.
        let draw = Double(h % 1_000_000) / 1_000_000
        let isCorrect = family != .unknown && draw < model.accuracy
        let answer = isCorrect ? family.correctAnswer : family.wrongAnswer(variation: h >> 24)
        return SimulatedAnswer(answer: answer, isCorrect: isCorrect, family: family, delayMs: delay(model, h), hash: h)
    }

    /// A number in 0..<1 for the answer key's case at `position`: a golden-ratio sequence from
    /// a start drawn from the model's name, so over any run of cases the share below an
    /// accuracy is that accuracy, give or take about two cases, while each model gets other
    /// cases wrong.
    static func keyDraw(model: String, position: Int) -> Double {
        let start = Double(FNV1a.hash(model) % 1_000_000) / 1_000_000
        let value = start + Double(position) * 0.618_033_988_749_894_8
        return value - value.rounded(.down)
    }

    /// `latency_ms ± jitter_ms`, never negative, from the hash's high bits.
    private static func delay(_ model: FakeProviderConfig.Model, _ h: UInt64) -> Int {
        let jitter = model.jitterMs > 0 ? Int((h >> 40) % UInt64(2 * model.jitterMs + 1)) - model.jitterMs : 0
        return max(0, model.latencyMs + jitter)
    }
}
