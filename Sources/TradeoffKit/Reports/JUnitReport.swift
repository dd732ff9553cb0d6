/// The checks of a run as JUnit XML, for CI systems that show test results: one test per gate
/// and model, one per model in a baseline comparison, and one per model and task.
///
/// A model × task test fails when calls failed on the task, or, with `--fail-on-regression`
/// and a baseline, when the model regressed on the task beyond noise (Holm across every model ×
/// task pair). Its output line carries the quality, pass rate and verdict.
public struct JUnitReport: Sendable {
    /// The run.
    public var summary: RunSummary
    /// Its gates and regressions.
    public var checks: Checks

    /// The JUnit document of `summary` and `checks`.
    public init(_ summary: RunSummary, checks: Checks) {
        self.summary = summary
        self.checks = checks
    }

    private struct TestCase {
        var className: String
        var name: String
        var failure: (type: String, message: String)?
        var output: String?
    }

    /// The XML document, ending with a newline.
    public func render() -> String {
        var suites: [(name: String, cases: [TestCase])] = []
        if !checks.gateResults.isEmpty {
            suites.append(("gates", checks.gateResults.map { result in
                let name = result.gate.text + (result.modelID.map { " [\($0)]" } ?? "")
                return TestCase(className: "tradeoff.gates", name: name,
                                failure: result.passed ? nil : ("gate", "measured \(GateText.value(result))"),
                                output: GateText.line(result))
            }))
        }
        if let comparison = checks.baseline {
            let baselineID = comparison.baseline.run.id.map(String.init) ?? "?"
            suites.append(("regressions", comparison.models.map { change in
                let flips = "\(change.passToFail.count) pass→fail, \(change.failToPass.count) fail→pass; "
                    + "Δ quality \(Formatting.signed(change.comparison.difference, change.comparison.differenceInterval)), "
                    + "Holm p \(Formatting.pValue(change.comparison.adjustedPValue))"
                let fails = change.isRegression && checks.failOnRegression
                return TestCase(className: "tradeoff.regressions", name: "\(change.modelID) against run \(baselineID)",
                                failure: fails ? ("regression", flips) : nil, output: flips)
            }))
        }
        var regressedTasks: Set<String> = []
        if checks.failOnRegression, let comparison = checks.baseline {
            for change in comparison.tasks where change.isRegression { regressedTasks.insert("\(change.modelID)\u{0}\(change.taskID)") }
        }
        var taskCases: [TestCase] = []
        for model in summary.models {
            for task in summary.tasks {
                guard let result = task.perModel[model.modelID] else { continue }
                var output = "quality \(Formatting.quality(result.quality, result.qualityInterval)), pass rate "
                    + Formatting.percent(result.passRate, result.passRateInterval)
                if let comparison = result.comparison {
                    output += "; against \(comparison.referenceID): \(ReferenceSection.verdict(comparison))"
                }
                var failure: (String, String)?
                if result.errors > 0 {
                    failure = ("errors", "\(result.errors) of \(result.calls) calls failed")
                } else if regressedTasks.contains("\(model.modelID)\u{0}\(task.taskID)") {
                    failure = ("regression", "regressed against the baseline run")
                }
                taskCases.append(TestCase(className: "\(summary.run.suite).\(model.modelID)", name: task.taskID,
                                          failure: failure, output: output))
            }
        }
        suites.append((summary.run.suite, taskCases))

        let total = suites.reduce(0) { $0 + $1.cases.count }
        let failures = suites.reduce(0) { $0 + $1.cases.filter { $0.failure != nil }.count }
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<testsuites name=\"\(XMLText.escape("tradeoff: " + summary.run.suite))\" tests=\"\(total)\" failures=\"\(failures)\">",
        ]
        for suite in suites {
            let failed = suite.cases.filter { $0.failure != nil }.count
            lines.append("  <testsuite name=\"\(XMLText.escape(suite.name))\" tests=\"\(suite.cases.count)\" "
                         + "failures=\"\(failed)\" errors=\"0\" skipped=\"0\">")
            for test in suite.cases {
                let open = "    <testcase classname=\"\(XMLText.escape(test.className))\" name=\"\(XMLText.escape(test.name))\""
                guard test.failure != nil || test.output != nil else {
                    lines.append(open + "/>")
                    continue
                }
                lines.append(open + ">")
                if let failure = test.failure {
                    lines.append("      <failure type=\"\(XMLText.escape(failure.type))\" message=\"\(XMLText.escape(failure.message))\"/>")
                }
                if let output = test.output {
                    lines.append("      <system-out>\(XMLText.escape(output))</system-out>")
                }
                lines.append("    </testcase>")
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }
}
