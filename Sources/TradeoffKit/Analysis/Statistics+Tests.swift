import Foundation

/// Intervals for proportions, exact tests and multiplicity corrections.
extension Statistics {
    /// The Wilson score interval of a proportion: (p̂ + z²/2n ± z·sqrt(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n).
    ///
    /// Unlike the normal (Wald) interval it stays inside [0, 1] and keeps its coverage for small
    /// samples and for rates near 0 or 1, where evals live.
    ///
    /// - Parameters:
    ///   - successes: Successes, in 0...trials.
    ///   - trials: Trials.
    ///   - z: The normal quantile (1.96 for 95%).
    /// - Returns: The interval; nil when there are no trials.
    public static func wilson(successes: Int, trials: Int, z: Double = z95) -> ClosedRange<Double>? {
        guard trials > 0 else { return nil }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        return max(0, center - half)...min(1, center + half)
    }

    /// The two-sided p-value of the exact McNemar test: the binomial test of `b` successes in
    /// `b + c` discordant pairs at probability ½, p = min(1, 2·P(X ≤ min(b, c))).
    ///
    /// - Parameters:
    ///   - b: Pairs where the first passed and the second failed.
    ///   - c: Pairs where the first failed and the second passed.
    /// - Returns: The p-value; 1 when there is no discordant pair.
    public static func mcnemarExactPValue(_ b: Int, _ c: Int) -> Double {
        let n = b + c
        guard n > 0 else { return 1 }
        return min(1, 2 * binomialHalfLowerTail(min(b, c), trials: n))
    }

    /// P(X ≤ k) for X ~ Binomial(n, ½).
    ///
    /// Up to 1,000 trials the terms are built up from 2⁻ⁿ (exact) by the ratio C(n, i)/C(n, i − 1),
    /// so small tests come out exact (12/1024, not 0.01171874999999998); beyond, 2⁻ⁿ would
    /// underflow and the sum runs in the log domain from the largest term (k ≤ n/2) down.
    static func binomialHalfLowerTail(_ k: Int, trials n: Int) -> Double {
        guard k < n else { return 1 }
        if n <= 1000 {
            var term = pow(2, -Double(n))
            var sum = term
            if k > 0 {
                for i in 1...k {
                    term *= Double(n - i + 1) / Double(i)
                    sum += term
                }
            }
            return min(1, sum)
        }
        let logTermK = lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1)) - Double(n) * M_LN2
        var sum = 1.0  // terms relative to the k-th
        var term = 1.0
        var i = k
        while i > 0 {
            term *= Double(i) / Double(n - i + 1)
            sum += term
            if term < sum * 1e-17 { break }
            i -= 1
        }
        return min(1, exp(logTermK + log(sum)))
    }

    /// Holm–Bonferroni adjusted p-values, in the order given: the i-th smallest p becomes
    /// max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎). Rejecting where the adjusted p < α controls the
    /// family-wise error rate at α.
    ///
    /// - Parameter pValues: The family's raw p-values.
    /// - Returns: The adjusted p-values, index for index.
    public static func holmAdjusted(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] != pValues[$1] ? pValues[$0] < pValues[$1] : $0 < $1 }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    /// Cases needed to detect a paired difference of `margin` at α = 0.05 (two-sided) with
    /// power 0.8: n ≈ 7.84·Var(d)/δ², rounded up (7.84 = (1.96 + 0.84)²).
    ///
    /// - Parameters:
    ///   - variance: The sample variance of the per-case differences.
    ///   - margin: The difference to detect, δ > 0.
    /// - Returns: The number of cases.
    public static func casesNeeded(variance: Double, margin: Double) -> Int {
        guard margin > 0 else { return Int.max }
        let n = (7.84 * variance / (margin * margin)).rounded(.up)
        return n >= Double(Int.max) ? Int.max : Int(n)
    }

    /// The fewest cases that can show non-inferiority at margin δ at all.
    ///
    /// Even when the reference beats the candidate on no case, the exact one-sided 95% upper
    /// bound on how often it would is 1 − 0.05^(1/n) (Clopper–Pearson), and that bound limits
    /// how far below 0 the difference may honestly be; it is below δ only from
    /// n ≥ ln 0.05 / ln(1 − δ) cases (59 at δ = 0.05). Fewer cases "pass" non-inferiority only
    /// because a small sample happens to show no disagreement.
    ///
    /// - Parameter margin: δ, in (0, 1).
    /// - Returns: The minimum number of cases.
    public static func minimumCasesForNonInferiority(margin: Double) -> Int {
        guard margin > 0 else { return Int.max }
        guard margin < 1 else { return 1 }
        return Int((log(0.05) / log(1 - margin)).rounded(.up))
    }
}
