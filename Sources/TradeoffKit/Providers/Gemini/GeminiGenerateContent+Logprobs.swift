extension GeminiGenerateContent {
    /// The answer's logprobs over a reply's chunks (one for a plain reply): the mean of every
    /// `logprobsResult.chosenCandidates[].logProbability` (one per decoding step) when the
    /// chunks list them and every one is a log probability, else the last `avgLogprobs`
    /// (Gemini's own mean). Nil when neither was sent; unusable, with the reason, when what was
    /// sent is not a log probability.
    static func logprobs(of chunks: [Response]) -> Logprobs? {
        var tally = LogprobTally()
        var average: Logprobs?
        for chunk in chunks {
            guard let candidate = chunk.candidates?.first else { continue }
            if let mean = LogprobTally.mean(candidate.avgLogprobs?.value, at: "candidates[0].avgLogprobs") {
                average = mean
            }
            if let result = candidate.logprobsResult, result.value == nil {
                tally.fail("candidates[0].logprobsResult could not be read (a number out of range?)")
                continue
            }
            guard let result = candidate.logprobsResult?.value, result != .null else { continue }
            guard case .object(let members) = result else {
                tally.fail("candidates[0].logprobsResult is not an object")
                continue
            }
            switch members["chosenCandidates"] {
            case nil, .null?:
                continue
            case .array(let steps)?:
                for (index, step) in steps.enumerated() {
                    let path = "candidates[0].logprobsResult.chosenCandidates[\(index)]"
                    guard case .object(let fields) = step else {
                        tally.fail("\(path) is not an object")
                        break
                    }
                    tally.add(fields["logProbability"], at: path + ".logProbability")
                }
            default:
                tally.fail("candidates[0].logprobsResult.chosenCandidates is not a list")
            }
        }
        // A step without `logProbability` may be a proto3 zero left out: Gemini's own mean then
        // says more than a refusal would.
        if case .recorded? = tally.logprobs { return tally.logprobs }
        if case .recorded? = average { return average }
        return tally.logprobs ?? average
    }
}
