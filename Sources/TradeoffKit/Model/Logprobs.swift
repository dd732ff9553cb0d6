import Foundation

/// The token log probabilities a provider returned with an answer, reduced to what a
/// `confidence` grader reads: their mean, or why there is none to read.
///
/// Only `recorded` reaches the store (`calls.mean_logprob`); a reason is told in the grader's
/// outcome of the run that met it.
public enum Logprobs: Sendable, Hashable {
    /// The mean log probability of the answer's `tokens` tokens: finite and at most 0.
    case recorded(mean: Double, tokens: Int?)
    /// The reply carried logprobs that cannot be used, and why (a value above 0, not a number, ...).
    case unusable(reason: String)

    /// The mean log probability, when recorded.
    public var mean: Double? {
        if case .recorded(let mean, _) = self { return mean }
        return nil
    }

    /// How many tokens the mean is over, when recorded and known.
    public var tokens: Int? {
        if case .recorded(_, let tokens) = self { return tokens }
        return nil
    }

    /// Why the logprobs cannot be used, when they cannot.
    public var reason: String? {
        if case .unusable(let reason) = self { return reason }
        return nil
    }

    /// `exp(mean)`: the geometric mean of the tokens' probabilities, in 0...1.
    public var meanProbability: Double? { mean.map(Self.probability) }

    /// `exp(logprob)` clamped to 0...1, so no stored value can claim more than certainty.
    public static func probability(_ logprob: Double) -> Double {
        guard logprob.isFinite else { return logprob > 0 ? 1 : 0 }
        return min(1, max(0, exp(logprob)))
    }

    /// A mean read back from the store: recorded when it is a log probability (finite, at most
    /// 0), unusable otherwise, and nil when none was stored.
    public static func stored(mean: Double?, tokens: Int?) -> Logprobs? {
        guard let mean else { return nil }
        guard mean.isFinite, mean <= 0 else {
            return .unusable(reason: "the stored mean logprob \(mean) is not a log probability (finite, at most 0)")
        }
        return .recorded(mean: mean, tokens: tokens)
    }
}
