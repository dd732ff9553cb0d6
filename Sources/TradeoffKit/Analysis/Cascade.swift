import Foundation

/// A cascade as a what-if on one run: the first model answers every case, and when an online
/// check fails on its answer the next model answers instead, up to the last, whose answer is
/// always kept. Computed from the stored answers of every model on the cases they all answered.
///
/// Per case (repeats averaged as the report does: each repeat is kept or escalated on its own),
/// with n answered repeats of model i, e of them escalated:
/// - quality: V_i = (Σ score of the kept repeats + e · V_{i+1}) / n, V_last = its mean score;
/// - cost: C_i = (cost of its answers + its checks' cost) / n + e/n · C_{i+1}, C_last = its mean
///   cost (the last answer is never checked);
/// - latency: L_i = its mean latency + e/n · L_{i+1}: an escalated case waits for both.
/// The cascade's quality is the mean of V_0 over the shared cases, compared paired with the last
/// model's (`versusLast`, clustered by task as every comparison), and its PGR is
/// (q_cascade − q_first) / (q_last − q_first) on the same cases. When the suite states task
/// volumes, every mean, rate, cost and percentile weighs the cases by their task's share of
/// traffic and the comparison is stratified by task instead (`weightedByVolume`).
public struct Cascade: Sendable, Hashable {
    /// The models, cheapest first, and the checks escalated on.
    public var spec: CascadeSpec
    /// Whether it is one of the automatic open → frontier pairs, not one the suite names.
    public var automatic: Bool
    /// Cases every model of the cascade answered, which everything here is computed on.
    public var cases: Int
    /// The cascade's mean score over those cases.
    public var quality: Double
    /// The first model's mean score on the same cases.
    public var firstQuality: Double
    /// The last model's mean score on the same cases.
    public var lastQuality: Double
    /// The cascade against the last model, paired on the same cases: Δ with its interval, the
    /// ratio of qualities with its interval, and the non-inferiority verdict.
    public var versusLast: PairedComparison
    /// (quality − firstQuality) / (lastQuality − firstQuality); nil when the two models score the
    /// same, where the share of the gap recovered is undefined.
    public var pgr: Double?
    /// The share of cases whose first answer failed a check and went on.
    public var escalationRate: Double
    /// The share of cases answered by the last model (equal to `escalationRate` for two models).
    public var lastModelRate: Double
    /// Cost per 1,000 cases, micro-dollars: the first model on every case, the next ones on the
    /// cases escalated to them, and the checks' own cost; nil when a model is unpriced.
    public var costPer1kCasesMicros: Int64?
    /// The part of `costPer1kCasesMicros` that is the checks' own cost (a judge's calls).
    public var checkCostPer1kCasesMicros: Int64?
    /// The first model alone, per 1,000 of the same cases.
    public var firstCostPer1kCasesMicros: Int64?
    /// The last model alone, per 1,000 of the same cases.
    public var lastCostPer1kCasesMicros: Int64?
    /// The cost at the stated monthly volume; nil without a volume or a price.
    public var monthlyCostMicros: Int64?
    /// The mean per-case latency, milliseconds; nil when a model reached on some case has no
    /// latency there (batched calls).
    public var latencyMeanMs: Double?
    /// The median per-case latency, milliseconds (nil as the mean).
    public var latencyP50Ms: Double?
    /// The 95th percentile of the per-case latency, milliseconds (nil as the mean).
    public var latencyP95Ms: Double?
    /// The last model's median latency on the same cases, to compare.
    public var lastLatencyP50Ms: Double?
    /// The last model's 95th percentile latency on the same cases, to compare.
    public var lastLatencyP95Ms: Double?
    /// Tasks where none of the cascade's checks ran on the first model's answers: there it never
    /// escalates.
    public var uncheckedTasks: [String]
    /// Whether the figures weigh the cases by their tasks' stated share of traffic (`volume:`),
    /// not each case alike (see `RunSummary.cascade`).
    public var weightedByVolume: Bool = false

    /// The first model.
    public var firstModelID: String { spec.models.first ?? "" }
    /// The last model.
    public var lastModelID: String { spec.models.last ?? "" }
    /// The cascade's cost over the last model's alone; nil without prices.
    public var relativeCost: Double? {
        guard let cost = costPer1kCasesMicros, let last = lastCostPer1kCasesMicros, last > 0 else { return nil }
        return Double(cost) / Double(last)
    }
    /// The checks, for people: `structure, format` or `every online grader`.
    public var checkLabel: String { spec.escalateWhen?.joined(separator: ", ") ?? "every online grader" }
}
