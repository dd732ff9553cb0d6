import Foundation

/// How the cases of a sample weigh in its means and percentiles: each case alike, or each task
/// by its stated share of traffic (`volume:`), spread evenly over the task's cases in the sample.
///
/// With task weights w_t (stated over every task of the suite), a sample keeps only the tasks it
/// has cases of, scales their weights to sum to 1 (w′_t), and case i of task t weighs
/// ω_i = w′_t / n_t, n_t the task's cases in the sample. A weighted mean is then Σ ω_i x_i =
/// Σ_t w′_t · (mean of task t), the same mix of tasks the portfolio uses.
struct CaseWeights: Sendable {
    /// Per case of the sample, its weight (summing to 1); nil when every case weighs alike.
    let perCase: [Double]?
    /// Per task index (the sample's `clusters`), its scaled weight w′_t; 0 for a task without
    /// cases in the sample; nil when every case weighs alike.
    let perTask: [Double]?
    /// The task of each case, as given.
    let tasks: [Int]

    /// The weights of a sample whose case i is of task `tasks[i]`.
    ///
    /// - Parameters:
    ///   - tasks: Per case, its task's index into `taskWeights`.
    ///   - taskWeights: Every task's stated weight; nil (or a count that does not cover the
    ///     tasks) to weigh every case alike.
    init(tasks: [Int], taskWeights: [Double]?) {
        self.tasks = tasks
        guard let taskWeights, tasks.allSatisfy({ $0 >= 0 && $0 < taskWeights.count }) else {
            (perCase, perTask) = (nil, nil)
            return
        }
        var counts = [Int](repeating: 0, count: taskWeights.count)
        for task in tasks { counts[task] += 1 }
        let present = taskWeights.indices.reduce(0.0) { $0 + (counts[$1] > 0 ? taskWeights[$1] : 0) }
        guard present > 0 else {
            (perCase, perTask) = (nil, nil)
            return
        }
        let scaled = taskWeights.indices.map { counts[$0] > 0 ? taskWeights[$0] / present : 0 }
        perTask = scaled
        perCase = tasks.map { scaled[$0] / Double(counts[$0]) }
    }

    /// Whether the cases weigh by their tasks' stated volumes.
    var isWeighted: Bool { perCase != nil }

    /// The (weighted) mean of `values`, one per case; 0 for none.
    func mean(_ values: [Double]) -> Double {
        guard let perCase else { return Statistics.mean(values) ?? 0 }
        return zip(values, perCase).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// `scale` times the (weighted) mean of exact `values`, one per case, in exact decimals (the
    /// sum times `scale` over the count when every case weighs alike); 0 for none.
    func mean(_ values: [Decimal], times scale: Decimal) -> Decimal {
        guard let perCase else {
            return values.isEmpty ? 0 : values.reduce(0, +) * scale / Decimal(values.count)
        }
        return zip(values, perCase).reduce(Decimal(0)) { $0 + $1.0 * Decimal($1.1) } * scale
    }

    /// The percentile p of `values` (one per case, nil where a case has none): the interpolated
    /// one of `Statistics.percentile` when every case weighs alike; with task weights, the
    /// weighted one (`Statistics.weightedPercentile`, numpy's `inverted_cdf`), where each task's
    /// weight is spread over its cases that have a value.
    func percentiles(_ ps: [Double], of values: [Double?]) -> [Double?] {
        guard let perTask else {
            let sorted = values.compactMap { $0 }.sorted()
            return ps.map { Statistics.percentile($0, ofSorted: sorted) }
        }
        var counts = [Int](repeating: 0, count: perTask.count)
        for (task, value) in zip(tasks, values) where value != nil { counts[task] += 1 }
        let points: [(latency: Double, weight: Double)] = zip(tasks, values).compactMap { task, value in
            value.map { ($0, perTask[task] / Double(counts[task])) }
        }
        return ps.map { Statistics.weightedPercentile($0, of: points) }
    }
}
