import Foundation

/// The portfolio: each task routed by its own recommendation, weighed as a whole.
extension RunSummary {
    /// The portfolio of the run's tasks (in the order of `table.taskIDs`), or why there is none.
    ///
    /// - Parameters:
    ///   - tasks: The task summaries, whose recommendations are the routes.
    ///   - table: The per-case scores, for the interval.
    ///   - modelIDs: The models, in the table's order.
    ///   - referenceID: The reference.
    ///   - bestSingleID: The suite's recommended model, the best one model for everything.
    ///   - settings: The bootstrap and the case limit.
    ///   - weights: The tasks' shares of traffic (`TaskVolume.weights`); nil to weigh tasks by
    ///     their cases.
    ///   - volume: The monthly volume to cost the portfolio at, if any.
    ///   - timings: Per model and case, the latencies (for the portfolio's percentiles).
    static func routing(tasks: [TaskSummary], table: CaseTable, modelIDs: [String], referenceID: String?,
                        bestSingleID: String?, settings: AnalysisSettings, weights stated: [Double]? = nil,
                        volume: Volume? = nil, timings: CascadeTable? = nil) -> Routing {
        guard let referenceID, !tasks.isEmpty else { return .skipped(.noReference) }
        var routes: [(modelID: String, reason: Portfolio.Reason)] = []
        for task in tasks {
            guard let recommendation = task.recommendation else { return .skipped(.noReference) }
            let modelID = recommendation.modelID
            guard modelID != referenceID, let comparison = task.perModel[modelID]?.comparison else {
                routes.append((referenceID, .reference))
                continue
            }
            routes.append((modelID, comparison.isSignificantlyBetter ? .better(cases: comparison.cases)
                                                                     : .nonInferior(cases: comparison.cases)))
        }
        guard routes.contains(where: { $0.modelID != referenceID }) else {
            return .skipped(.everyTaskToReference(referenceID: referenceID))
        }
        var baselines: [(String, Portfolio.Baseline.Role)] = [(referenceID, .reference)]
        if let bestSingleID, bestSingleID != referenceID { baselines.append((bestSingleID, .bestSingle)) }
        // Every model the portfolio needs, priced and answered on each task it is needed on.
        for (task, route) in zip(tasks, routes) {
            for modelID in [route.modelID] + baselines.map(\.0) {
                guard let result = task.perModel[modelID], result.totalCostMicros != nil else {
                    return .skipped(.unpriced(modelID: modelID))
                }
                guard result.answered > 0, result.quality != nil else {
                    return .skipped(.unanswered(modelID: modelID, taskID: task.taskID))
                }
            }
        }

        let caseCounts = tasks.map(\.caseCount)
        let suiteCases = caseCounts.reduce(0, +)
        var weights = caseCounts.map { Double($0) / Double(max(1, suiteCases)) }
        var byVolume = false
        if let stated, stated.count == tasks.count { (weights, byVolume) = (stated, true) }
        func quality(_ models: [String]) -> Double {
            zip(zip(tasks, models), weights).reduce(0) { $0 + $1.1 * $1.0.0.perModel[$1.0.1]!.quality! }
        }
        func cost(_ models: [String], scale: Int64) -> Int64 {
            Self.weightedCostMicros(tasks: tasks, models: models, scale: scale, weights: byVolume ? weights : nil)
        }
        let routed = routes.map(\.modelID)
        let portfolioQuality = quality(routed)
        let portfolioCost = cost(routed, scale: 1000)
        let volume = volume?.casesPerMonth

        // Per task, the cases every column answered: the routed model, then each baseline.
        let modelIndex = Dictionary(modelIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let strata: [[[Double]]] = tasks.indices.map { task in
            let columns = ([routed[task]] + baselines.map(\.0)).map { table.scores[modelIndex[$0]!] }
            return table.casesOfTask[task].compactMap { testCase in
                let values = columns.map { $0[testCase] }
                return values.contains(where: \.isNaN) ? nil : values
            }
        }
        let intervals = Self.portfolioIntervals(strata: strata, weights: weights, settings: settings)
        let routedPositions = routed.map { modelIndex[$0]! }
        let latency = timings.map { timings in
            Self.latencyPercentiles(tasks: table.casesOfTask, models: routedPositions, weights: weights, timings: timings)
        }

        return .portfolio(Portfolio(
            referenceID: referenceID,
            routes: tasks.indices.map { task in
                let result = tasks[task].perModel[routed[task]]!
                return Portfolio.Route(taskID: tasks[task].taskID, caseCount: caseCounts[task], weight: weights[task],
                                       modelID: routed[task], reason: routes[task].reason, quality: result.quality!,
                                       costPerCaseMicros: result.preciseCostPerCaseMicros!)
            },
            quality: portfolioQuality, qualityInterval: intervals?.quality,
            costPer1kCasesMicros: portfolioCost, monthlyCostMicros: volume.map { cost(routed, scale: $0) },
            weightedByVolume: byVolume, latencyP50Ms: latency?.p50, latencyP95Ms: latency?.p95,
            baselines: baselines.enumerated().map { index, baseline in
                let models = [String](repeating: baseline.0, count: tasks.count)
                let baselineQuality = quality(models)
                let baselineCost = cost(models, scale: 1000)
                return Portfolio.Baseline(
                    modelID: baseline.0, role: baseline.1, quality: baselineQuality, costPer1kCasesMicros: baselineCost,
                    monthlyCostMicros: volume.map { cost(models, scale: $0) },
                    relativeQuality: baselineQuality > 0 ? portfolioQuality / baselineQuality : nil,
                    relativeQualityInterval: baselineQuality > 0 ? intervals?.ratios[index] : nil,
                    relativeCost: baselineCost > 0 ? Double(portfolioCost) / Double(baselineCost) : nil)
            }))
    }

    /// `scale` · Σ w·c over tasks in micro-dollars, in exact decimals rounded half up once at the
    /// end: w = the task's cases / the suite's cases (or the stated `weights`), c =
    /// `models[task]`'s total cost on the task / its answered calls there.
    static func weightedCostMicros(tasks: [TaskSummary], models: [String], scale: Int64, weights: [Double]? = nil) -> Int64 {
        let suiteCases = Decimal(tasks.reduce(0) { $0 + $1.caseCount })
        var total = Decimal(0)
        for (index, (task, modelID)) in zip(tasks, models).enumerated() {
            let result = task.perModel[modelID]!
            let weight = weights.map { Decimal($0[index]) } ?? Decimal(task.caseCount) / suiteCases
            total += weight * Decimal(result.totalCostMicros!) * Decimal(scale) / Decimal(result.answered)
        }
        return Money.micros(exactly: total)
    }

    /// The median and 95th percentile latency of the portfolio's answers, ms: each task's cases
    /// answered by its routed model (a case's repeats averaged), each case weighing its task's
    /// weight over the task's timed cases, so a task's share of latency is its share of traffic.
    static func latencyPercentiles(tasks: [[Int]], models: [Int], weights: [Double], timings: CascadeTable)
        -> (p50: Double?, p95: Double?) {
        var points: [(latency: Double, weight: Double)] = []
        for (task, cases) in tasks.enumerated() {
            let model = models[task]
            let timed = cases.filter { $0 < timings.cases && timings.timed[model][$0] > 0 }
            for testCase in timed {
                points.append((timings.latency[model][testCase] / Double(timings.timed[model][testCase]),
                               weights[task] / Double(timed.count)))
            }
        }
        return (Statistics.weightedPercentile(50, of: points), Statistics.weightedPercentile(95, of: points))
    }

    /// The portfolio's quality interval (column 0 of `strata`) and the intervals of its ratio to
    /// each other column; nil when some task has no case every column answered, or only one case
    /// in all.
    static func portfolioIntervals(strata: [[[Double]]], weights: [Double], settings: AnalysisSettings)
        -> (quality: Interval?, ratios: [Interval?])? {
        let cases = strata.reduce(0) { $0 + $1.count }
        guard let columns = strata.first?.first?.count, strata.allSatisfy({ !$0.isEmpty }), cases > 1 else { return nil }
        if cases <= settings.bootstrapCaseLimit {
            let replicates = settings.bootstrap.stratified(strata, weights: weights)
            func interval(_ values: [Double]) -> Interval? {
                values.sorted().percentileInterval().map { Interval(lower: $0.lowerBound, upper: $0.upperBound,
                                                                    method: .bootstrapStratified) }
            }
            let ratios: [Interval?] = (1..<columns).map { column in
                guard replicates[column].allSatisfy({ $0 > 0 }) else { return nil }
                return interval(zip(replicates[0], replicates[column]).map { $0 / $1 })
            }
            return (interval(replicates[0]), ratios)
        }
        // Large: the stratified SE, SE² = Σ w²·Var/n over tasks; the ratio's by the delta method.
        func means(_ column: Int) -> [Double] { strata.map { stratum in stratum.reduce(0) { $0 + $1[column] } / Double(stratum.count) } }
        func standardError(_ residual: ([Double]) -> Double) -> Double {
            zip(strata, weights).reduce(0) { total, pair in
                let variance = Statistics.variance(pair.0.map(residual)) ?? 0
                return total + pair.1 * pair.1 * variance / Double(pair.0.count)
            }.squareRoot()
        }
        let portfolio = zip(means(0), weights).reduce(0) { $0 + $1.0 * $1.1 }
        let error = standardError { $0[0] }
        let quality = Interval(lower: portfolio - Statistics.z95 * error, upper: portfolio + Statistics.z95 * error,
                               method: .normalStratified)
        let ratios: [Interval?] = (1..<columns).map { column in
            let baseline = zip(means(column), weights).reduce(0) { $0 + $1.0 * $1.1 }
            guard baseline > 0 else { return nil }
            let ratio = portfolio / baseline
            let error = standardError { ($0[0] - ratio * $0[column]) / baseline }
            return Interval(lower: ratio - Statistics.z95 * error, upper: ratio + Statistics.z95 * error,
                            method: .normalStratified)
        }
        return (quality, ratios)
    }
}
