import Foundation

/// The token logprobs a simulated model reports when asked: every token of the answer gets
/// the same logprob, `ln(p)`, so the mean token probability is `p` exactly — about 0.9 for an
/// answer the simulation meant right and about 0.55 for one it meant wrong, each spread by
/// ±0.06 from the request hash. A `confidence` grader with `min: 0.8` then tells them apart,
/// and a cascade escalating on it escalates the wrong answers.
extension Generation {
    /// The mean token probability of the answer.
    var meanProbability: Double {
        let spread = Double((hash >> 12) % 1_000) / 1_000 - 0.5
        return (isCorrect ? 0.9 : 0.55) + spread * 0.12
    }

    /// The logprob of each token.
    var tokenLogprob: Double { log(meanProbability) }

    /// The answer's tokens as the stream sends them (one per word); one empty token for an
    /// empty answer, so a reply asked for logprobs always lists some.
    var logprobTokens: [String] {
        let pieces = pieces
        return pieces.isEmpty ? [""] : pieces
    }

    /// OpenAI's `{token, logprob, bytes, top_logprobs}` for each of `tokens`.
    func openAILogprobs(_ tokens: [String]) -> JSONValue {
        ["content": .array(tokens.map { token in
            ["token": .string(token), "logprob": .double(tokenLogprob),
             "bytes": .array(token.utf8.map { .int(Int($0)) }), "top_logprobs": []]
        }), "refusal": nil]
    }

    /// Gemini's `logprobsResult` for `tokens`: `chosenCandidates` (one per decoding step) and
    /// their sum.
    func geminiLogprobsResult(_ tokens: [String]) -> JSONValue {
        ["topCandidates": [],
         "chosenCandidates": .array(tokens.map { ["token": .string($0), "logProbability": .double(tokenLogprob)] }),
         "logProbabilitySum": .double(tokenLogprob * Double(tokens.count))]
    }
}
