extension GradingSummary {
    /// Builds a `GradingSummary` one call at a time, as a run's calls are read.
    ///
    /// Metrics, judges and agreements are listed in suite order: by the first case (in the
    /// suite's order) and grader they were met at, not by the first call recorded. The order
    /// calls are recorded in is the order they finished (and, for merged shards, shard by
    /// shard), so a first-recorded order differed between two runs of one suite.
    struct Builder: Sendable {
        private var summary = GradingSummary()
        private var metricTotals: [String: [String: (score: Double, passed: Int, answers: Int)]] = [:]
        private var spends: [String: JudgeSpend] = [:]
        private var judgeOrder: [String] = []
        private var agreementIndex: [String: Int] = [:]
        /// Where each metric, judge and agreement (by label) was first met, in suite order.
        private var metricPlaces: [String: Place] = [:]
        private var judgePlaces: [String: Place] = [:]
        private var agreementPlaces: [String: Place] = [:]
        /// Per model, where the grader error of its example was met.
        private var errorExamplePlaces: [String: Place] = [:]
        private var callsAdded = 0

        /// A place in the suite: a case's position in suite order, a grader's among the case's
        /// graders, a judge's among the grader's judges.
        struct Place: Comparable, Sendable {
            var testCase: Int
            var grader: Int
            var judge = 0

            static func < (a: Place, b: Place) -> Bool {
                (a.testCase, a.grader, a.judge) < (b.testCase, b.grader, b.judge)
            }
        }

        /// Adds the grades of `call`.
        ///
        /// - Parameter testCase: The call's case's position in suite order; nil when unknown: its
        ///   grades then come after every known case's, in the order added.
        mutating func add(_ call: ReportCall, testCase: Int? = nil) {
            callsAdded += 1
            guard call.output != nil else { return }
            if call.graderErrors > 0 {
                summary.graderErrors[call.modelId, default: 0] += call.graderErrors
                if call.score == nil { summary.ungraded[call.modelId, default: 0] += 1 }
            }
            // Most runs name no metric and use no judge: skip decoding their grades.
            guard call.graderErrors > 0 || call.grades.map(GradingSummary.mayMatter) == true else { return }
            // An unknown case's places come after every case's, its call's in the order added
            // (the graders of one call tie, and keep the order met).
            let known = testCase.flatMap { $0 >= 0 ? $0 : nil }
            func place(grader: Int, judge: Int = 0) -> Place {
                known.map { Place(testCase: $0, grader: grader, judge: judge) }
                    ?? Place(testCase: .max, grader: callsAdded, judge: 0)
            }
            let outcomes = call.graderOutcomes
            if call.graderErrors > 0, let grader = outcomes.firstIndex(where: \.isError),
               errorExamplePlaces[call.modelId].map({ place(grader: grader) < $0 }) ?? true {
                errorExamplePlaces[call.modelId] = place(grader: grader)
                summary.errorExamples[call.modelId] = "\(outcomes[grader].type): \(outcomes[grader].reason)"
            }

            var perMetric: [String: (weighted: Double, weight: Double, allPassed: Bool)] = [:]
            for (grader, outcome) in outcomes.enumerated() where !outcome.isError {
                guard let metric = outcome.metric else { continue }
                Self.note(metric, at: place(grader: grader), in: &metricPlaces,
                          order: &summary.metrics)
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
                for (judge, opinion) in opinions.enumerated() {
                    add(opinion, at: place(grader: index, judge: judge))
                }
                guard opinions.count > 1 else { continue }
                let label = "\(call.taskId) / " + (outcome.metric ?? "judge \(index + 1)")
                if agreementIndex[label] == nil {
                    agreementIndex[label] = summary.agreements.count
                    summary.agreements.append(Agreement(label: label, judges: opinions.map(\.model), answers: 0, agreed: 0))
                }
                let first = place(grader: index)
                if agreementPlaces[label].map({ first < $0 }) ?? true { agreementPlaces[label] = first }
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
            summary.metrics = Self.inSuiteOrder(summary.metrics) { metricPlaces[$0] }
            let judges = Self.inSuiteOrder(judgeOrder) { judgePlaces[$0] }
            summary.judges = judges.compactMap { spends[$0] }
            summary.candidateJudges = judges.filter(modelIDs.contains)
            summary.agreements = Self.inSuiteOrder(summary.agreements) { agreementPlaces[$0.label] }
            return summary
        }

        /// `items` (in the order first met) by the place each was first met at; ties keep the
        /// order met.
        private static func inSuiteOrder<Listed>(_ items: [Listed], place: (Listed) -> Place?) -> [Listed] {
            let last = Place(testCase: .max, grader: .max, judge: .max)
            return items.enumerated().sorted { a, b in
                let (first, second) = (place(a.element) ?? last, place(b.element) ?? last)
                return first != second ? first < second : a.offset < b.offset
            }.map(\.element)
        }

        /// Records `name` met at `place`: appended to `order` when new, its place the earliest.
        private static func note(_ name: String, at place: Place, in places: inout [String: Place], order: inout [String]) {
            guard let known = places[name] else {
                places[name] = place
                order.append(name)
                return
            }
            if place < known { places[name] = place }
        }

        private mutating func add(_ opinion: JudgeOpinion, at place: Place) {
            if judgePlaces[opinion.model].map({ place < $0 }) ?? true { judgePlaces[opinion.model] = place }
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
