extension GradingSummary {
    /// Builds a `GradingSummary` one call at a time, as a run's calls are read.
    struct Builder: Sendable {
        private var summary = GradingSummary()
        private var metricTotals: [String: [String: (score: Double, passed: Int, answers: Int)]] = [:]
        private var spends: [String: JudgeSpend] = [:]
        private var judgeOrder: [String] = []
        private var agreementIndex: [String: Int] = [:]

        /// Adds the grades of `call`.
        mutating func add(_ call: ReportCall) {
            guard call.output != nil else { return }
            if call.graderErrors > 0 {
                summary.graderErrors[call.modelId, default: 0] += call.graderErrors
                if call.score == nil { summary.ungraded[call.modelId, default: 0] += 1 }
            }
            // Most runs name no metric and use no judge: skip decoding their grades.
            guard call.graderErrors > 0 || call.grades.map(GradingSummary.mayMatter) == true else { return }
            let outcomes = call.graderOutcomes
            if call.graderErrors > 0, summary.errorExamples[call.modelId] == nil,
               let error = outcomes.first(where: \.isError) {
                summary.errorExamples[call.modelId] = "\(error.type): \(error.reason)"
            }

            var perMetric: [String: (weighted: Double, weight: Double, allPassed: Bool)] = [:]
            for outcome in outcomes where !outcome.isError {
                guard let metric = outcome.metric else { continue }
                if !summary.metrics.contains(metric) { summary.metrics.append(metric) }
                var entry = perMetric[metric] ?? (0, 0, true)
                entry.weighted += outcome.score * outcome.weight
                entry.weight += outcome.weight
                entry.allPassed = entry.allPassed && outcome.passed
                perMetric[metric] = entry
            }
            for (metric, entry) in perMetric where entry.weight > 0 {
                var total = metricTotals[metric, default: [:]][call.modelId] ?? (0, 0, 0)
                total.score += entry.weighted / entry.weight
                total.passed += entry.allPassed ? 1 : 0
                total.answers += 1
                metricTotals[metric, default: [:]][call.modelId] = total
            }

            for (index, outcome) in outcomes.enumerated() {
                guard let opinions = outcome.judges else { continue }
                for opinion in opinions { add(opinion) }
                guard opinions.count > 1 else { continue }
                let label = "\(call.taskId) / " + (outcome.metric ?? "judge \(index + 1)")
                if agreementIndex[label] == nil {
                    agreementIndex[label] = summary.agreements.count
                    summary.agreements.append(Agreement(label: label, judges: opinions.map(\.model), answers: 0, agreed: 0))
                }
                let verdicts = opinions.compactMap(\.passed)
                guard verdicts.count > 1, let position = agreementIndex[label] else { continue }
                summary.agreements[position].answers += 1
                if Set(verdicts).count == 1 { summary.agreements[position].agreed += 1 }
            }
        }

        /// The summary of the calls added (of models `modelIDs`).
        func finish(modelIDs: [String]) -> GradingSummary {
            var summary = summary
            for (metric, models) in metricTotals {
                summary.scores[metric] = models.mapValues { total in
                    MetricScore(score: total.score / Double(total.answers),
                                passRate: Double(total.passed) / Double(total.answers), answers: total.answers)
                }
            }
            summary.judges = judgeOrder.compactMap { spends[$0] }
            summary.candidateJudges = judgeOrder.filter(modelIDs.contains)
            return summary
        }

        private mutating func add(_ opinion: JudgeOpinion) {
            if spends[opinion.model] == nil { judgeOrder.append(opinion.model) }
            var spend = spends[opinion.model] ?? JudgeSpend(modelID: opinion.model, verdicts: 0, errors: 0, calls: 0, reused: 0)
            spend.verdicts += opinion.isError ? 0 : 1
            spend.errors += opinion.isError ? 1 : 0
            spend.calls += opinion.calls
            spend.reused += opinion.reused ? 1 : 0
            if let cost = opinion.costMicros { spend.costMicros = (spend.costMicros ?? 0) + cost }
            spends[opinion.model] = spend
        }
    }
}
