import Foundation
import Testing
@testable import TradeoffKit

/// The cascade's (case-weighted and volume-weighted) and the weighted portfolio's statistics
/// against numbers computed independently with numpy and scipy (`Fixtures/cascades/make-reference.py`, its output `reference.json`),
/// on a run built by the same rules.
struct CascadeReferenceTests {
    static let tasks = [("a", 30), ("b", 24), ("c", 18)]

    /// The script's `case_rules`.
    static func rules(task t: Int, index i: Int) -> (weak: Double, strong: Double, fails: Bool, weakCost: Int64,
                                                     strongCost: Int64, weakLatency: Double, strongLatency: Double) {
        (Double((i * 7 + t * 3) % 5) / 4, (i * 3 + t) % 7 != 0 ? 1 : 0.5, Double((i * 7 + t * 3) % 5) / 4 < 0.5 || i % 11 == 0,
         Int64(10 + i % 3), Int64(200 + i % 5), 100 + Double(i), 400 + 2 * Double(i))
    }

    /// The run; with `volumes`, the tasks state them (`volume:`), in task order.
    static func run(volumes: [String]? = nil) -> RunSummary {
        var record = RunRecord(id: 8, suite: "ref", suitePath: "ref.yaml", suiteHash: "h", catalogPath: "m.yaml",
                               toolVersion: "0", startedAt: ReportFixture.start, status: .completed)
        record.context = RunContext(reference: "strong", margin: 0.1, gates: [], volume: nil,
                                    tasks: tasks.enumerated().map { index, task in
                                        RunContext.Task(id: task.0, threshold: nil, repeats: 1, volume: volumes?[index])
                                    },
                                    models: ["weak", "strong"])
        let models = [
            ReportFixture.model("weak", "x/weak", .open, price: ("1", "1"), simulated: false, runID: 8),
            ReportFixture.model("strong", "x/strong", .frontier, price: ("1", "1"), simulated: false, runID: 8),
        ]
        var cases: [CaseRecord] = []
        var calls: [CallRecord] = []
        for (t, (task, count)) in tasks.enumerated() {
            for i in 0..<count {
                let id = "\(task)\(i)"
                let rule = rules(task: t, index: i)
                cases.append(CaseRecord(runId: 8, taskId: task, caseId: id, position: i, variables: [:]))
                var weak = ReportFixture.answer("weak", task, id, "w", score: rule.weak, cost: rule.weakCost,
                                                latency: rule.weakLatency, runID: 8)
                weak.grades = CascadeTests.grades(passed: !rule.fails)
                let strong = ReportFixture.answer("strong", task, id, "s", score: rule.strong, cost: rule.strongCost,
                                                  latency: rule.strongLatency, runID: 8)
                calls += [weak, strong]
            }
        }
        // A case limit of 1: every interval is the normal one, which scipy computes exactly.
        return RunSummary(run: record, models: models, cases: cases, calls: calls,
                          settings: AnalysisSettings(reference: "strong", margin: 0.1, bootstrapCaseLimit: 1))
    }

    /// The numbers of `reference.json`, or of its object `section` (`weighted`).
    static func reference(_ section: String? = nil) throws -> [String: Double] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/cascades/reference.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        if let section { object = object[section] as? [String: Any] ?? [:] }
        return object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }

    /// The figures both scenarios check against the reference, each to 1e-12 (money exactly).
    private static func checkShared(_ cascade: Cascade, _ expected: [String: Double]) {
        func close(_ actual: Double?, _ key: String) {
            #expect(abs((actual ?? .nan) - expected[key]!) < 1e-12, "\(key): \(String(describing: actual)) vs \(expected[key]!)")
        }
        close(cascade.quality, "quality")
        close(cascade.firstQuality, "weak_quality")
        close(cascade.lastQuality, "strong_quality")
        close(cascade.versusLast.difference, "difference")
        close(cascade.versusLast.differenceInterval?.lower, "difference_lower")
        close(cascade.versusLast.differenceInterval?.upper, "difference_upper")
        close(cascade.versusLast.differenceLowerBound, "difference_lower_bound")
        close(cascade.versusLast.relativeQuality, "relative_quality")
        close(cascade.versusLast.relativeQualityInterval?.lower, "relative_quality_lower")
        close(cascade.versusLast.relativeQualityInterval?.upper, "relative_quality_upper")
        close(cascade.pgr, "pgr")
        close(cascade.escalationRate, "escalation_rate")
        #expect(cascade.costPer1kCasesMicros.map(Double.init) == expected["cost_per_1k_cases_micros"])
        #expect(cascade.checkCostPer1kCasesMicros.map(Double.init) == expected["check_cost_per_1k_cases_micros"])
    }

    @Test func cascadeMatchesScipy() throws {
        let expected = try Self.reference()
        let cascade = try #require(Self.run().cascades.first)
        #expect(cascade.automatic)
        #expect(Double(cascade.cases) == expected["cases"])
        Self.checkShared(cascade, expected)
        #expect(abs((cascade.latencyP50Ms ?? .nan) - expected["latency_p50_ms"]!) < 1e-12)
        #expect(abs((cascade.latencyP95Ms ?? .nan) - expected["latency_p95_ms"]!) < 1e-12)
        #expect(cascade.versusLast.differenceInterval?.method == .normalClustered)
    }

    @Test func volumeWeightedCascadeMatchesScipy() throws {
        let expected = try Self.reference("weighted")
        let weighted = try #require(Self.run(volumes: ["6", "3", "2"]).cascades.first)
        let unweighted = try #require(Self.run().cascades.first)
        #expect(weighted.weightedByVolume && !unweighted.weightedByVolume)
        #expect(weighted.cases == 72)
        Self.checkShared(weighted, expected)
        // The comparison's own qualities are the weighted ones too.
        #expect(abs((weighted.versusLast.quality ?? .nan) - expected["quality"]!) < 1e-12)
        #expect(abs((weighted.versusLast.referenceQuality ?? .nan) - expected["strong_quality"]!) < 1e-12)
        #expect(abs((weighted.versusLast.differenceUpperBound ?? .nan) - expected["difference_upper_bound"]!) < 1e-12)
        #expect(abs((weighted.latencyMeanMs ?? .nan) - expected["latency_mean_ms"]!) < 1e-12)
        #expect(weighted.latencyP50Ms == expected["latency_p50_ms"])
        #expect(weighted.latencyP95Ms == expected["latency_p95_ms"])
        #expect(weighted.versusLast.differenceInterval?.method == .normalStratified)
        #expect(weighted.versusLast.relativeQualityInterval?.method == .normalStratified)
        // The weights move the figures: the unweighted cascade is the one scipy computed above.
        #expect(abs(weighted.quality - unweighted.quality) > 1e-4)
        #expect(weighted.costPer1kCasesMicros != unweighted.costPer1kCasesMicros)
    }

    @Test func weightedPortfolioStatisticsMatchNumpy() throws {
        let expected = try Self.reference()
        // The cascade's per-case values, by task, as strata of one column.
        var strata: [[[Double]]] = []
        var latencies: [[Double]] = []
        for (t, (_, count)) in Self.tasks.enumerated() {
            let rules = (0..<count).map { Self.rules(task: t, index: $0) }
            strata.append(rules.map { [$0.fails ? $0.strong : $0.weak] })
            latencies.append(rules.map { $0.weakLatency + ($0.fails ? $0.strongLatency : 0) })
        }
        let weights = [0.6, 0.25, 0.15]
        let intervals = try #require(RunSummary.portfolioIntervals(strata: strata, weights: weights,
                                                                   settings: AnalysisSettings(bootstrapCaseLimit: 1)))
        let quality = zip(strata, weights).reduce(0) { $0 + $1.1 * $1.0.reduce(0) { $0 + $1[0] } / Double($1.0.count) }
        #expect(abs(quality - expected["stratified_quality"]!) < 1e-12)
        #expect(abs(intervals.quality!.lower - expected["stratified_lower"]!) < 1e-12)
        #expect(abs(intervals.quality!.upper - expected["stratified_upper"]!) < 1e-12)
        let points: [(latency: Double, weight: Double)] = zip(latencies, weights).flatMap { task, weight in
            task.map { ($0, weight / Double(task.count)) }
        }
        #expect(Statistics.weightedPercentile(50, of: points) == expected["weighted_latency_p50_ms"])
        #expect(Statistics.weightedPercentile(95, of: points) == expected["weighted_latency_p95_ms"])
    }
}
