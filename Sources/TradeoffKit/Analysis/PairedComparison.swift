/// One model against another on the cases both answered: the paired difference in quality with
/// its interval, the ratio of qualities, the pass/fail flips with the exact McNemar test, and
/// the non-inferiority verdict at the margin.
///
/// Pairing removes the difficulty the two models share on each case, so this is how two models
/// are compared, never by whether their separate intervals overlap.
public struct PairedComparison: Sendable, Hashable {
    /// The candidate (a in d = a − b).
    public var modelID: String
    /// What it is compared with (b).
    public var referenceID: String
    /// Cases both answered.
    public var cases: Int
    /// The candidate's quality over those cases.
    public var quality: Double?
    /// The reference's quality over those cases.
    public var referenceQuality: Double?
    /// Δ = mean over cases of (candidate score − reference score).
    public var difference: Double?
    /// The two-sided 95% interval of Δ.
    public var differenceInterval: Interval?
    /// The one-sided 95% lower bound of Δ, which non-inferiority is judged by.
    public var differenceLowerBound: Double?
    /// The one-sided 95% upper bound of Δ, which inferiority is judged by.
    public var differenceUpperBound: Double?
    /// The sample variance of the per-case differences, for the sample-size formula.
    public var differenceVariance: Double?
    /// Candidate quality / reference quality; nil when the reference scored 0.
    public var relativeQuality: Double?
    /// The 95% interval of the ratio, from the same resamples as Δ.
    public var relativeQualityInterval: Interval?
    /// Cases the candidate passed and the reference failed.
    public var wins: Int
    /// Cases the candidate failed and the reference passed.
    public var losses: Int
    /// The exact McNemar p-value of the flips (two-sided).
    public var pValue: Double
    /// `pValue` after Holm's correction over the comparisons made together.
    public var adjustedPValue: Double
    /// The non-inferiority margin δ the verdict used.
    public var margin: Double
    /// Whether the candidate is shown no worse than the reference by more than δ.
    public var verdict: Verdict

    /// The answer to "is the candidate no worse than the reference by more than δ?".
    public enum Verdict: Sendable, Hashable, Codable {
        /// The one-sided 95% lower bound of Δ is above −δ, on enough cases.
        case nonInferior
        /// The one-sided 95% upper bound of Δ is below −δ: worse by more than the margin.
        case inferior
        /// Neither; about `casesNeeded` cases would be needed to tell a δ difference.
        case inconclusive(casesNeeded: Int)
        /// Fewer shared cases than any verdict needs (`PairedComparison.minimumSharedCases`):
        /// no verdict either way, whatever the bounds say; `casesNeeded` is the least that
        /// could settle it (see `PairedComparison.verdict`).
        case tooFewCases(casesNeeded: Int)
        /// The two models answered no case in common.
        case noSharedCases

        /// `non-inferior`, `inferior`, `inconclusive` (too few cases too), `no shared cases`.
        public var label: String {
            switch self {
            case .nonInferior: "non-inferior"
            case .inferior: "inferior"
            case .inconclusive, .tooFewCases: "inconclusive"
            case .noSharedCases: "no shared cases"
            }
        }

        /// The shared cases that would settle an inconclusive verdict; nil for a verdict.
        public var casesNeeded: Int? {
            switch self {
            case .inconclusive(let needed), .tooFewCases(let needed): needed
            case .nonInferior, .inferior, .noSharedCases: nil
            }
        }
    }

    /// The fewest shared cases any verdict rests on: non-inferior, inferior, significantly
    /// better or worse (and so dominated on the frontier).
    ///
    /// Below it the percentile bootstrap has too few distinct resamples to be an interval at
    /// all (3 cases give 10, and 3 losses out of 3 give the single point −1, read as certain),
    /// and a normal interval rests on a variance from a handful of values. A verdict on fewer
    /// cases would be a coin's word with a straight face; the report says
    /// "inconclusive: 3 of 10 cases needed" instead.
    public static let minimumSharedCases = 10

    /// Compares the paired `sample` (a = candidate, b = reference).
    init(modelID: String, referenceID: String, sample: PairedSample, settings: AnalysisSettings) {
        self.modelID = modelID
        self.referenceID = referenceID
        cases = sample.count
        margin = settings.margin
        var wins = 0
        var losses = 0
        for (a, b) in zip(sample.passedA, sample.passedB) where a != b {
            if a { wins += 1 } else { losses += 1 }
        }
        self.wins = wins
        self.losses = losses
        pValue = Statistics.mcnemarExactPValue(wins, losses)
        adjustedPValue = pValue
        guard cases > 0, let qualityA = Statistics.mean(sample.a), let qualityB = Statistics.mean(sample.b) else {
            verdict = .noSharedCases
            return
        }
        quality = qualityA
        referenceQuality = qualityB
        let differences = zip(sample.a, sample.b).map { $0 - $1 }
        let difference = Statistics.mean(differences) ?? 0
        self.difference = difference
        let variance = Statistics.variance(differences) ?? 0
        differenceVariance = variance
        let ratio = qualityB > 0 ? qualityA / qualityB : nil
        relativeQuality = ratio

        // Two clusters at least; without hashing every case's cluster into a set.
        let clustered = sample.clusters.first.map { first in sample.clusters.contains { $0 != first } } ?? false
        if cases > 1 && cases <= settings.bootstrapCaseLimit {
            var replicates = [settings.bootstrap.paired(sample.a, sample.b)]
            if clustered {
                replicates.append(settings.bootstrap.clusterPaired(sample.a, sample.b, clusters: sample.clusters))
            }
            // The widest of the case and the cluster bootstrap: with a handful of tasks the cluster
            // resample is itself noisy and may come out narrower by chance, as the clustered SE may.
            let method: IntervalMethod = clustered ? .bootstrapClustered : .bootstrap
            let ranges = replicates.compactMap { $0.differences.percentileInterval() }
            if let lower = ranges.map(\.lowerBound).min(), let upper = ranges.map(\.upperBound).max() {
                differenceInterval = Interval(lower: lower, upper: upper, method: method)
            }
            differenceLowerBound = replicates.compactMap { Statistics.percentile(5, ofSorted: $0.differences) }.min()
            differenceUpperBound = replicates.compactMap { Statistics.percentile(95, ofSorted: $0.differences) }.max()
            let ratioRanges = replicates.map { $0.ratios?.percentileInterval() }
            if ratio != nil, !ratioRanges.contains(where: { $0 == nil }),
               let lower = ratioRanges.compactMap({ $0?.lowerBound }).min(),
               let upper = ratioRanges.compactMap({ $0?.upperBound }).max() {
                relativeQualityInterval = Interval(lower: lower, upper: upper, method: method)
            }
        } else if cases > 1 {
            let (standardError, method) = settings.standardError(differences, clusters: sample.clusters)
            differenceInterval = Interval(lower: difference - Statistics.z95 * standardError,
                                          upper: difference + Statistics.z95 * standardError, method: method)
            differenceLowerBound = difference - Statistics.z95OneSided * standardError
            differenceUpperBound = difference + Statistics.z95OneSided * standardError
            if let ratio {
                // Delta method: the ratio's error is the mean of (a − R·b) / b̄.
                let residuals = zip(sample.a, sample.b).map { ($0 - ratio * $1) / qualityB }
                let (ratioError, ratioMethod) = settings.standardError(residuals, clusters: sample.clusters)
                relativeQualityInterval = Interval(lower: ratio - Statistics.z95 * ratioError,
                                                   upper: ratio + Statistics.z95 * ratioError, method: ratioMethod)
            }
        }
        // The variance per case that the cases-needed estimate scales: the plain one, inflated by
        // the design effect when cases of one task move together (n·SE², as the clustered SE).
        let (standardError, _) = settings.standardError(differences, clusters: sample.clusters)
        let effectiveVariance = max(variance, Double(cases) * standardError * standardError)
        verdict = Self.verdict(cases: cases, difference: difference, lowerBound: differenceLowerBound,
                               upperBound: differenceUpperBound, variance: effectiveVariance, margin: settings.margin)
    }

    /// The non-inferiority verdict at margin δ.
    ///
    /// No verdict below `minimumSharedCases` shared cases (`tooFewCases`). Non-inferior when the
    /// one-sided 95% lower bound of Δ is above −δ and there are at least
    /// `Statistics.minimumCasesForNonInferiority(margin:)` cases; inferior when the one-sided
    /// upper bound is below −δ; otherwise inconclusive.
    ///
    /// When no verdict is given, the cases that would settle it if the observed Δ and variance
    /// held: 7.84·Var(d)/(Δ + δ)², the distance from Δ to the margin; never fewer than the
    /// minimum of the verdict Δ leans to (`minimumSharedCases` for inferior, the
    /// non-inferiority minimum otherwise), and, once that minimum is met, always more than the
    /// cases already run (which did not settle it).
    static func verdict(cases: Int, difference: Double, lowerBound: Double?, upperBound: Double?, variance: Double,
                        margin: Double) -> Verdict {
        guard cases > 0 else { return .noSharedCases }
        let nonInferiorityMinimum = max(minimumSharedCases, Statistics.minimumCasesForNonInferiority(margin: margin))
        let leaningMinimum = difference < -margin ? minimumSharedCases : nonInferiorityMinimum
        let estimate = Statistics.casesNeeded(variance: variance, margin: abs(difference + margin))
        guard cases >= minimumSharedCases else { return .tooFewCases(casesNeeded: max(leaningMinimum, estimate)) }
        if let lowerBound, lowerBound > -margin, cases >= nonInferiorityMinimum { return .nonInferior }
        if let upperBound, upperBound < -margin { return .inferior }
        return .inconclusive(casesNeeded: max(leaningMinimum, estimate, cases + 1))
    }

    /// Whether the two models share enough cases for any verdict (`minimumSharedCases`).
    public var hasEnoughCases: Bool { cases >= Self.minimumSharedCases }

    /// Whether the candidate is shown better: the 95% interval of Δ is above 0, on at least
    /// `minimumSharedCases` shared cases.
    public var isSignificantlyBetter: Bool { hasEnoughCases && (differenceInterval?.lower ?? 0) > 0 }

    /// Whether the candidate is shown worse: the 95% interval of Δ is below 0, on at least
    /// `minimumSharedCases` shared cases.
    public var isSignificantlyWorse: Bool { hasEnoughCases && (differenceInterval?.upper ?? 0) < 0 }
}

extension [PairedComparison] {
    /// The comparisons with Holm's correction applied to their McNemar p-values, as one family.
    func holmAdjusted() -> [PairedComparison] {
        let adjusted = Statistics.holmAdjusted(map(\.pValue))
        return zip(self, adjusted).map { comparison, p in
            var comparison = comparison
            comparison.adjustedPValue = p
            return comparison
        }
    }
}
