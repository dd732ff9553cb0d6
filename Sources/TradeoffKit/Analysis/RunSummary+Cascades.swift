import Foundation

/// The cascades: the suite's, then every open → frontier pair, as what-ifs on the run's answers.
extension RunSummary {
    /// The cascades of a run and the sentences that say which could not be weighed and why.
    ///
    /// - Parameters:
    ///   - table: What the cascades need per model and case beyond `cases` (the fold's).
    ///   - cases: The per-case mean scores and passes, the answered counts and the tasks.
    ///   - models: The run's models, in the table's order.
    ///   - volume: The monthly volume to cost them at, if any.
    ///   - settings: The bootstrap and the margin of the paired comparisons.
    static func cascades(table: CascadeTable, cases: CaseTable, models: [RunModelRecord], context: RunContext?,
                         volume: Volume?, settings: AnalysisSettings) -> (cascades: [Cascade], notes: [String]) {
        let ids = models.map(\.modelId)
        var specs: [(spec: CascadeSpec, automatic: Bool)] = (context?.cascades ?? []).map { ($0, false) }
        var notes: [String] = []
        if table.hasOnlineGrades {
            for open in models where open.modelClass == .open {
                for frontier in models where frontier.modelClass == .frontier {
                    let pair = CascadeSpec(models: [open.modelId, frontier.modelId])
                    if !specs.contains(where: { $0.spec == pair }) { specs.append((pair, true)) }
                }
            }
        } else if !specs.isEmpty {
            notes.append("No cascade: no stored answer carries an online grade (mark graders `online: true`, "
                         + "then `tradeoff grade` the run again).")
            return ([], notes)
        }
        // A suite that marks no grader online and names no cascade does not use cascades: nothing said.
        var cascades: [Cascade] = []
        for (spec, automatic) in specs {
            let positions = spec.models.map { ids.firstIndex(of: $0) }
            if let missing = zip(spec.models, positions).first(where: { $0.1 == nil }) {
                notes.append("Cascade \(spec.name): \(missing.0) is not in this run.")
                continue
            }
            let check = table.checks.firstIndex(of: spec.escalateWhen) ?? 0
            guard let cascade = Self.cascade(spec, automatic: automatic, positions: positions.map { $0! }, check: check,
                                             table: table, cases: cases, models: models, volume: volume,
                                             settings: settings) else {
                notes.append("Cascade \(spec.name): no case was answered by every one of its models.")
                continue
            }
            cascades.append(cascade)
        }
        return (cascades, notes)
    }

    /// One cascade over the cases every one of its models answered; nil when there are none.
    static func cascade(_ spec: CascadeSpec, automatic: Bool, positions: [Int], check: Int, table: CascadeTable,
                        cases: CaseTable, models: [RunModelRecord], volume: Volume?,
                        settings: AnalysisSettings) -> Cascade? {
        let shared = cases.keys.indices.filter { testCase in
            positions.allSatisfy { testCase < table.cases && cases.answered[$0][testCase] > 0 }
        }
        guard !shared.isEmpty, let first = positions.first, let last = positions.last else { return nil }
        let priced = positions.allSatisfy { models[$0].isPriced }
        let hasChecks = table.hasOnlineGrades
        var sample = PairedSample(reservingCapacity: shared.count)
        var firstScores: [Double] = []
        var latencies: [Double] = []
        var lastLatencies: [Double] = []
        var timed = true
        var (escalations, lastShare) = (0.0, 0.0)
        var (total, checks, firstTotal, lastTotal) = (Decimal(0), Decimal(0), Decimal(0), Decimal(0))
        var checkedTasks: Set<Int> = []
        for testCase in shared {
            // Walk the cascade forward: each step is reached with the chance that every check
            // before it failed, exactly (shares of whole repeats), and adds its kept answers.
            var value = 0.0, pass = 0.0, cost = Decimal(0), latency = 0.0
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
                checks += reach * checkCost
                reach *= Decimal(escalated) / Decimal(answered)
            }
            escalations += reached.count > 1 ? reached[1] : 0
            lastShare += reached.last ?? 0
            total += cost
            firstTotal += Decimal(table.cost[first][testCase]) / Decimal(cases.answered[first][testCase])
            lastTotal += Decimal(table.cost[last][testCase]) / Decimal(cases.answered[last][testCase])
            sample.a.append(value)
            sample.b.append(cases.scores[last][testCase])
            sample.passedA.append(pass > 0.5)
            sample.passedB.append(cases.passes[last][testCase] > 0.5)
            sample.clusters.append(cases.taskOfCase[testCase])
            firstScores.append(cases.scores[first][testCase])
            latencies.append(latency)
            if let lastLatency = table.timed[last][testCase] > 0
                ? table.latency[last][testCase] / Double(table.timed[last][testCase]) : nil {
                lastLatencies.append(lastLatency)
            }
        }
        let count = Decimal(shared.count)
        func per1k(_ sum: Decimal) -> Int64? { priced ? Money.micros(exactly: sum * 1000 / count) : nil }
        let quality = Statistics.mean(sample.a) ?? 0
        let firstQuality = Statistics.mean(firstScores) ?? 0
        let lastQuality = Statistics.mean(sample.b) ?? 0
        let comparison = PairedComparison(modelID: spec.name, referenceID: spec.models.last ?? "", sample: sample,
                                          settings: settings)
        let sortedLatencies = latencies.sorted()
        let sortedLast = lastLatencies.sorted()
        let checkedTaskIDs = Set(checkedTasks.map { cases.taskIDs[$0] })
        let sharedTasks = Set(shared.map { cases.taskOfCase[$0] }).sorted().map { cases.taskIDs[$0] }
        return Cascade(
            spec: spec, automatic: automatic, cases: shared.count, quality: quality, firstQuality: firstQuality,
            lastQuality: lastQuality, versusLast: comparison,
            pgr: abs(lastQuality - firstQuality) < 1e-12 ? nil : (quality - firstQuality) / (lastQuality - firstQuality),
            escalationRate: escalations / Double(shared.count), lastModelRate: lastShare / Double(shared.count),
            costPer1kCasesMicros: per1k(total), checkCostPer1kCasesMicros: per1k(checks),
            firstCostPer1kCasesMicros: per1k(firstTotal), lastCostPer1kCasesMicros: per1k(lastTotal),
            monthlyCostMicros: priced ? volume.map { Money.micros(exactly: total * Decimal($0.casesPerMonth) / count) } : nil,
            latencyMeanMs: timed ? Statistics.mean(latencies) : nil,
            latencyP50Ms: timed ? Statistics.percentile(50, ofSorted: sortedLatencies) : nil,
            latencyP95Ms: timed ? Statistics.percentile(95, ofSorted: sortedLatencies) : nil,
            lastLatencyP50Ms: Statistics.percentile(50, ofSorted: sortedLast),
            lastLatencyP95Ms: Statistics.percentile(95, ofSorted: sortedLast),
            uncheckedTasks: sharedTasks.filter { !checkedTaskIDs.contains($0) })
    }
}
