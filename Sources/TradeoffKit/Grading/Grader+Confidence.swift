/// The `confidence` grader: the model's own confidence in its answer, from the token logprobs
/// the provider returned with it. It needs no reference answer, so it can run online and a
/// cascade can escalate on it.
extension Grader {
    func checkConfidence(_ logprobs: Logprobs?) -> Check {
        guard case .confidence(let minimum) = spec.kind else { return .error("not a confidence grader") }
        switch logprobs {
        case nil:
            return .error("no token logprobs were recorded for this answer (the provider returned none, or the run "
                          + "that made it had no confidence grader to ask for them), so its confidence is unknown")
        case .unusable(let reason)?:
            return .error("the provider's logprobs cannot be used: \(reason)")
        case .recorded(let mean, let tokens)?:
            guard let probability = Logprobs.stored(mean: mean, tokens: tokens)?.meanProbability else {
                return .error("the mean logprob \(mean) is not a log probability (finite, at most 0)")
            }
            let over = tokens.map { " over \($0) token\($0 == 1 ? "" : "s")" } ?? ""
            let passed = probability + 1e-12 >= minimum
            return Check(passed, "mean token probability \(Self.measure(probability))\(over)"
                            + (passed ? "" : ", below \(Self.measure(minimum))"),
                         score: probability, extracted: Self.measure(probability))
        }
    }
}
