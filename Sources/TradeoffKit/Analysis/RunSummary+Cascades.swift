import Foundation

/// The cascades: the suite's, then every open → frontier pair, as what-ifs on the run's answers.
extension RunSummary {
    /// The cascades of a run and the sentences that say which could not be weighed and why.
    ///
    /// In a run of prompt variants, the models are arms (`model · variant`): a suite's cascade
    /// over models becomes one cascade per variant that every one of its models ran
    /// (`CascadeSpec.arms(variants:)`), and the automatic open → frontier pairs pair arms of the
    /// same variant.
    ///
    /// - Parameters:
    ///   - table: What the cascades need per model and case beyond `cases` (the fold's).
    ///   - cases: The per-case mean scores and passes, the answered counts and the tasks.
    ///   - models: The run's models (arms in a run of prompt variants), in the table's order.
    ///   - volume: The monthly volume to cost them at, if any.
    ///   - taskWeights: The tasks' shares of traffic (`TaskVolume.weights`, in the order of
    ///     `cases.taskIDs`); nil to weigh every case alike.
    ///   - settings: The bootstrap and the margin of the paired comparisons.
    static func cascades(table: CascadeTable, cases: CaseTable, models: [RunModelRecord], context: RunContext?,
                         volume: Volume?, taskWeights: [Double]? = nil,
                         settings: AnalysisSettings) -> (cascades: [Cascade], notes: [String]) {
        let ids = models.map(\.modelId)
        let variants = context?.variants ?? []
        var specs: [(spec: CascadeSpec, automatic: Bool)] = []
        var notes: [String] = []
        // One cascade per models and checks: a cascade over arms may be one variant's of another.
        func isNew(_ spec: CascadeSpec) -> Bool {
            !specs.contains { $0.spec.models == spec.models && $0.spec.escalateWhen == spec.escalateWhen }
        }
        for named in context?.cascades ?? [] {
            let arms = named.arms(variants: variants)
            let run = arms.filter { $0.models.allSatisfy(ids.contains) }
            if run.isEmpty, let missing = arms.first?.models.first(where: { !ids.contains($0) }) {
                notes.append(arms.count > 1
                             ? "Cascade \(named.name): no prompt variant of it was run on all of its models."
                             : "Cascade \(named.name): \(missing) is not in this run.")
            }
            for spec in run where isNew(spec) { specs.append((spec, false)) }
        }
        if table.hasOnlineGrades {
            for open in models where open.modelClass == .open {
                for frontier in models where frontier.modelClass == .frontier
                    && PromptArm(label: open.modelId, variants: variants)?.variant
                    == PromptArm(label: frontier.modelId, variants: variants)?.variant {
                    let pair = CascadeSpec(models: [open.modelId, frontier.modelId])
                    if isNew(pair) { specs.append((pair, true)) }
                }
            }
        } else if !(context?.cascades ?? []).isEmpty {
            notes = ["No cascade: no stored answer carries an online grade (mark graders `online: true`, "
                     + "then `tradeoff grade` the run again)."]
            return ([], notes)
        }
        // A suite that marks no grader online and names no cascade does not use cascades: nothing said.
        var cascades: [Cascade] = []
        for (spec, automatic) in specs {
            let positions = spec.models.compactMap { ids.firstIndex(of: $0) }
            let check = table.checks.firstIndex(of: spec.escalateWhen) ?? 0
            guard let cascade = Self.cascade(spec, automatic: automatic, positions: positions, check: check,
                                             table: table, cases: cases, models: models, volume: volume,
                                             taskWeights: taskWeights, settings: settings) else {
                notes.append("Cascade \(spec.name): no case was answered by every one of its models.")
                continue
            }
            cascades.append(cascade)
        }
        return (cascades, notes)
    }

    /// One cascade over the cases every one of its models answered; nil when there are none.
    ///
    /// With `taskWeights` (the tasks' stated volumes, `TaskVolume.weights`), every figure weighs
    /// the cases by their task's share of traffic (`CaseWeights`): quality, the first and last
    /// models' qualities (so PGR), escalation rate, cost per 1,000 cases and at the volume,
    /// latency mean and percentiles, and the paired comparison with the last model
    /// (`PairedComparison.init(modelID:referenceID:sample:weights:settings:)`). Without, each case
    /// weighs alike.
    static func cascade(_ spec: CascadeSpec, automatic: Bool, positions: [Int], check: Int, table: CascadeTable,
                        cases: CaseTable, models: [RunModelRecord], volume: Volume?, taskWeights: [Double]? = nil,
                        settings: AnalysisSettings) -> Cascade? {
        let shared = cases.keys.indices.filter { testCase in
            positions.allSatisfy { testCase < table.cases && cases.answered[$0][testCase] > 0 }
        }
        guard !shared.isEmpty, let first = positions.first, let last = positions.last else { return nil }
        let priced = positions.allSatisfy { models[$0].isPriced }
        let hasChecks = table.hasOnlineGrades
        var sample = PairedSample(reservingCapacity: shared.count)
        var firstScores: [Double] = []
        var latencies: [Double?] = []
        var lastLatencies: [Double?] = []
        var timed = true
        var (escalations, lastShares) = ([Double](), [Double]())
        var (totals, checks, firstTotals, lastTotals) = ([Decimal](), [Decimal](), [Decimal](), [Decimal]())
        var checkedTasks: Set<Int> = []
        for testCase in shared {
            // Walk the cascade forward: each step is reached with the chance that every check
            // before it failed, exactly (shares of whole repeats), and adds its kept answers.
            var value = 0.0, pass = 0.0, cost = Decimal(0), checkCosts = Decimal(0), latency = 0.0
            var reach = Decimal(1)
            var reached: [Double] = []
            for (step, model) in positions.enumerated() {
                let answered = cases.answered[model][testCase]
                let n = Double(answered)
                let chance = NSDecimalNumber(decimal: reach).doubleValue
                reached.append(chance)
                if let meanLatency = table.timed[model][testCase] > 0
                    ? table.latency[model][testCase] / Double(table.timed[model][testCase]) : nil {
                    latency += chance * meanLatency
                } else if chance > 0 {
                    timed = false
                }
                let answersCost = Decimal(table.cost[model][testCase]) / Decimal(answered)
                guard step < positions.count - 1 else {
                    value += chance * cases.scores[model][testCase]
                    pass += chance * cases.passes[model][testCase]
                    cost += reach * answersCost
                    break
                }
                let escalated = hasChecks ? table.escalated[check][model][testCase] : 0
                let checkCost = hasChecks ? Decimal(table.checkCost[check][model][testCase]) / Decimal(answered) : 0
                if hasChecks, step == 0, table.checked[check][model][testCase] { checkedTasks.insert(cases.taskOfCase[testCase]) }
                // The kept answers: the mean less the escalated repeats' share of it.
                value += chance * (cases.scores[model][testCase] - (hasChecks ? table.escalatedScore[check][model][testCase] / n : 0))
                pass += chance * (cases.passes[model][testCase] - (hasChecks ? table.escalatedPasses[check][model][testCase] / n : 0))
                cost += reach * (answersCost + checkCost)
                checkCosts += reach * checkCost
                reach *= Decimal(escalated) / Decimal(answered)
            }
            escalations.append(reached.count > 1 ? reached[1] : 0)
            lastShares.append(reached.last ?? 0)
            totals.append(cost)
            checks.append(checkCosts)
            firstTotals.append(Decimal(table.cost[first][testCase]) / Decimal(cases.answered[first][testCase]))
            lastTotals.append(Decimal(table.cost[last][testCase]) / Decimal(cases.answered[last][testCase]))
            sample.a.append(value)
            sample.b.append(cases.scores[last][testCase])
            sample.passedA.append(pass > 0.5)
            sample.passedB.append(cases.passes[last][testCase] > 0.5)
            sample.clusters.append(cases.taskOfCase[testCase])
            firstScores.append(cases.scores[first][testCase])
            latencies.append(latency)
            lastLatencies.append(table.timed[last][testCase] > 0
                                 ? table.latency[last][testCase] / Double(table.timed[last][testCase]) : nil)
        }
        let weights = CaseWeights(tasks: sample.clusters, taskWeights: taskWeights)
        func per1k(_ values: [Decimal]) -> Int64? { priced ? Money.micros(exactly: weights.mean(values, times: 1000)) : nil }
        let quality = weights.mean(sample.a)
        let firstQuality = weights.mean(firstScores)
        let lastQuality = weights.mean(sample.b)
        let comparison = PairedComparison(modelID: spec.name, referenceID: spec.models.last ?? "", sample: sample,
                                          weights: weights, settings: settings)
        let cascadeLatency = timed ? weights.percentiles([50, 95], of: latencies) : [nil, nil]
        let lastLatency = weights.percentiles([50, 95], of: lastLatencies)
        let checkedTaskIDs = Set(checkedTasks.map { cases.taskIDs[$0] })
        let sharedTasks = Set(shared.map { cases.taskOfCase[$0] }).sorted().map { cases.taskIDs[$0] }
        return Cascade(
            spec: spec, automatic: automatic, cases: shared.count, quality: quality, firstQuality: firstQuality,
            lastQuality: lastQuality, versusLast: comparison,
            pgr: abs(lastQuality - firstQuality) < 1e-12 ? nil : (quality - firstQuality) / (lastQuality - firstQuality),
            escalationRate: weights.mean(escalations), lastModelRate: weights.mean(lastShares),
            costPer1kCasesMicros: per1k(totals), checkCostPer1kCasesMicros: per1k(checks),
            firstCostPer1kCasesMicros: per1k(firstTotals), lastCostPer1kCasesMicros: per1k(lastTotals),
            monthlyCostMicros: priced ? volume.map { Money.micros(exactly: weights.mean(totals, times: Decimal($0.casesPerMonth))) } : nil,
            latencyMeanMs: timed ? weights.mean(latencies.map { $0 ?? 0 }) : nil,
            latencyP50Ms: cascadeLatency[0], latencyP95Ms: cascadeLatency[1],
            lastLatencyP50Ms: lastLatency[0], lastLatencyP95Ms: lastLatency[1],
            uncheckedTasks: sharedTasks.filter { !checkedTaskIDs.contains($0) }, weightedByVolume: weights.isWeighted)
    }
}
