import Testing
@testable import TradeoffKit

struct GateTests {
    @Test(arguments: [
        ("quality(llama-70b) >= 0.85", Gate.Metric.quality, "llama-70b", Gate.Comparison.atLeast, 0.85),
        ("quality(llama-70b)>=85%", .quality, "llama-70b", .atLeast, 0.85),
        ("  pass_rate( * ) > 0.9 ", .passRate, nil, .above, 0.9),
        ("cost_per_case(*) <= 0.002", .costPerCase, nil, .atMost, 2000),
        ("cost_per_case(openai/gpt-4o) < $0.0015", .costPerCase, "openai/gpt-4o", .below, 1500),
        ("monthly_cost(x) <= 1200", .monthlyCost, "x", .atMost, 1_200_000_000),
        ("p95_latency(*) <= 4s", .p95Latency, nil, .atMost, 4000),
        ("p99_latency(*) <= 1500ms", .p99Latency, nil, .atMost, 1500),
        ("p50_ttft(m) <= 0.25s", .p50TTFT, "m", .atMost, 250),
        ("error_rate(*) < 1%", .errorRate, nil, .below, 0.01),
        ("relative_cost(m) <= 0.25x", .relativeCost, "m", .atMost, 0.25),
        ("tokens_per_second(m) >= 40", .tokensPerSecond, "m", .atLeast, 40),
    ] as [(String, Gate.Metric, String?, Gate.Comparison, Double)])
    func parses(text: String, metric: Gate.Metric, model: String?, comparison: Gate.Comparison, threshold: Double) throws {
        let gate = try Gate(parsing: text)
        #expect(gate.metric == metric && gate.modelID == model && gate.comparison == comparison)
        #expect(abs(gate.threshold - threshold) < 1e-9 * max(1, threshold))
        #expect(gate.text == text.trimmingCharacters(in: .whitespaces))
    }

    /// Every message a person sees for a bad gate, pinned.
    @Test(arguments: [
        ("quality >= 0.8", "invalid gate 'quality >= 0.8': expected METRIC(MODEL) OP VALUE, like 'quality(llama-3.3-70b) >= 0.85'"),
        ("qualty(m) >= 0.8", "invalid gate 'qualty(m) >= 0.8': unknown metric 'qualty' (did you mean 'quality'?)"),
        ("speed(m) >= 0.8", "invalid gate 'speed(m) >= 0.8': unknown metric 'speed'; metrics: quality, pass_rate, error_rate, "
            + "cost_total, cost_per_case, cost_per_1k, cost_per_correct, monthly_cost, p50_latency, p90_latency, p95_latency, "
            + "p99_latency, p50_ttft, p90_ttft, p95_ttft, p99_ttft, tokens_per_second, relative_quality, relative_cost"),
        ("p95_latency(*) <= 4", "invalid gate 'p95_latency(*) <= 4': a latency needs a unit, like '4s' or '4000ms'"),
        ("quality(m) >= high", "invalid gate 'quality(m) >= high': 'high' is not a number"),
        ("quality(m) == 0.8", "invalid gate 'quality(m) == 0.8': '==' is not a comparison; use >=, <=, > or <"),
        ("", "invalid gate '': expected METRIC(MODEL) OP VALUE, like 'quality(llama-3.3-70b) >= 0.85'"),
    ])
    func rejectsWithAMessage(text: String, message: String) {
        #expect {
            try Gate(parsing: text)
        } throws: { error in
            "\(error)" == message
        }
    }

    @Test func namesAModelTheRunDoesNotHave() throws {
        let gate = try Gate(parsing: "quality(open-god) >= 0.8")
        #expect(gate.problem(modelIDs: ["frontier", "open-good"])
                == "unknown model 'open-god' in gate 'quality(open-god) >= 0.8' (did you mean 'open-good'?); "
                + "the run has: frontier, open-good")
        #expect(try Gate(parsing: "quality(*) >= 0.8").problem(modelIDs: []) == nil)
    }

    @Test func evaluatesOnEveryModelOrOne() throws {
        let summary = ReportFixture.decision.summary
        let all = try Gate(parsing: "quality(*) >= 0.9").evaluate(summary)
        #expect(all.map(\.modelID) == ["frontier", "open-good", "open-bad"])
        #expect(all.map(\.passed) == [true, true, false])
        #expect(abs(all[2].value! - 55.0 / 80) < 1e-12)
        let cost = try Gate(parsing: "cost_per_case(open-good) <= $0.0001").evaluate(summary)
        #expect(cost.map(\.passed) == [true] && cost[0].value == 100)
        let monthly = try Gate(parsing: "monthly_cost(frontier) < 1000").evaluate(summary)
        #expect(monthly.map(\.passed) == [false] && monthly[0].value == 2_000_000_000)  // $2,000 a month
        let relative = try Gate(parsing: "relative_quality(*) >= 0.95").evaluate(summary)
        #expect(relative.map(\.passed) == [true, true, false])
        let ttft = try Gate(parsing: "p50_ttft(*) <= 1s").evaluate(summary)
        #expect(ttft.map(\.modelID) == ["frontier"])  // only the frontier model streamed
        #expect(GateText.line(all[2]) == "FAIL quality(*) >= 0.9: open-bad measured 0.688")
    }

    @Test func anUnknownCostFailsANamedGateAndIsSkippedByStar() throws {
        let summary = ReportFixture.mixed.summary
        let named = try Gate(parsing: "cost_per_case(local-c) <= 1").evaluate(summary)
        #expect(named.map(\.passed) == [false] && named[0].missingReason == "unpriced: cost unknown")
        #expect(GateText.line(named[0]) == "FAIL cost_per_case(local-c) <= 1: local-c measured unpriced: cost unknown")
        let star = try Gate(parsing: "cost_per_case(*) <= 1").evaluate(summary)
        #expect(star.map(\.modelID) == ["frontier-a", "open-b"] && star.allSatisfy(\.passed))
        let none = try Gate(parsing: "p50_ttft(*) <= 1s").evaluate(summary)
        #expect(none.count == 1 && !none[0].passed && none[0].missingReason == "no model has this measure")
    }

    @Test func checksFailOnAFailedGateOrARealRegressionOnlyWhenAsked() throws {
        let summary = ReportFixture.decision.summary
        #expect(!Checks(gates: [try Gate(parsing: "quality(frontier) >= 0.99")], summary: summary).failed)
        #expect(Checks(gates: [try Gate(parsing: "quality(open-bad) >= 0.99")], summary: summary).failed)
        #expect(Checks(gates: [], summary: summary).isEmpty)
    }
}

struct VolumeTests {
    @Test(arguments: [
        ("2M/month", 2_000_000, "2M/month"), ("500k", 500_000, "500k/month"), ("1.5M/month", 1_500_000, "1.5M/month"),
        ("120000", 120_000, "120k/month"), ("120,000/month", 120_000, "120k/month"), ("12345", 12_345, "12,345/month"),
        ("3B", 3_000_000_000, "3B/month"), ("1", 1, "1/month"),
    ] as [(String, Int64, String)])
    func parses(text: String, cases: Int64, description: String) throws {
        let volume = try Volume(parsing: text)
        #expect(volume.casesPerMonth == cases)
        #expect(volume.description == description)
    }

    @Test(arguments: ["2X", "", "0", "-5", "1.5", "2M/week", "M", "1e6"])
    func rejects(text: String) {
        #expect(throws: VolumeError(text: text)) { try Volume(parsing: text) }
        #expect("\(VolumeError(text: text))"
                == "invalid volume '\(text)': expected cases per month, like '2M/month', '500k' or '120000'")
    }

    /// 1,234 micro-dollars over 7 cases × 2M/month = 352,571,428.57… → 352,571,429 (half up, exact).
    @Test func projectsMonthlyCostExactly() {
        let volume = Volume(casesPerMonth: 2_000_000)
        #expect(volume.monthlyCostMicros(totalMicros: 1234, cases: 7) == 352_571_429)
        #expect(volume.monthlyCostMicros(totalMicros: 1234, cases: 0) == nil)
        #expect(Volume(casesPerMonth: 3_000_000_000).monthlyCostMicros(totalMicros: 9_000_000_000_000, cases: 1)
                == Int64.max)  // saturates instead of overflowing
    }
}
