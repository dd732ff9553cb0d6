/// What the analysis compares against and how: the reference, the margin, the volume, and the
/// sample sizes at which it switches from small-sample to large-sample methods.
public struct AnalysisSettings: Sendable, Hashable, Codable {
    /// The model every other is compared with; nil picks the frontier model of best quality
    /// (the best model of any class when the run has no frontier model).
    public var reference: String?
    /// The non-inferiority margin δ, as a fraction of quality (0.05 = 5 points).
    public var margin: Double
    /// Cases per month, for the monthly cost; nil leaves it out.
    public var volume: Volume?
    /// The bootstrap's replicates and seed.
    public var bootstrap: Bootstrap
    /// Below this many cases, quality and pass-rate intervals are Wilson (0/1 outcomes) or
    /// bootstrap (scores); from it on they are normal, clustered by task.
    public var smallSampleLimit: Int
    /// Paired differences over at most this many cases are bootstrapped (O(B·n) work); above
    /// it they use the normal interval with the clustered SE, which agrees at that size.
    public var bootstrapCaseLimit: Int
    /// The most bootstrap draws (B · n summed over every interval) one analysis may make; when
    /// the run would need more, `bootstrapCaseLimit` is lowered until it fits.
    public var bootstrapBudget: Int

    /// The defaults: the best frontier model as reference, δ = 0.05, B = 10,000 with seed 1,
    /// Wilson or bootstrap below 300 cases, bootstrap for differences up to 10,000 cases, and at
    /// most 500 million bootstrap draws per analysis (about a second).
    public init(reference: String? = nil, margin: Double = 0.05, volume: Volume? = nil,
                bootstrap: Bootstrap = Bootstrap(), smallSampleLimit: Int = 300, bootstrapCaseLimit: Int = 10_000,
                bootstrapBudget: Int = 500_000_000) {
        self.reference = reference
        self.margin = margin
        self.volume = volume
        self.bootstrap = bootstrap
        self.smallSampleLimit = smallSampleLimit
        self.bootstrapCaseLimit = bootstrapCaseLimit
        self.bootstrapBudget = bootstrapBudget
    }

    /// The significance level of every test and the complement of every interval's level.
    public static let alpha = 0.05
}
