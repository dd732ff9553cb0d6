import Foundation

/// The checks of a run as JUnit XML, for CI systems that show test results: one test per gate
/// and model, one per model in a baseline comparison, and one per model and task.
///
/// Written for how Jenkins, GitLab and GitHub's test-report actions read the file:
/// - Jenkins splits `classname` at its last dot into package and class, so a class name never
///   holds a dot from the data (`.` becomes `_`); the model id, dots and all, is in the test name
///   (`claude-sonnet-4.5 › classify`), which nobody splits.
/// - GitLab shows a failure's body, not its `message` attribute, so the readable line is in both.
/// - A model × task test whose calls produced no answer is an `<error>` (the run could not
///   measure it), not a `<failure>`; `errors` counts them.
/// - `time` is in seconds with a dot: per model × task, the summed latency of its calls (the
///   time they took one after the other, not a parallel run's wall time); gates and regressions
///   take no time. `timestamp` is the run's start, UTC, without a zone, as Ant writes it.
///
/// A model × task test fails when, with `--fail-on-regression` and a baseline, the model
/// regressed on the task beyond noise (Holm across every model × task pair). Its output line
/// carries the quality, pass rate and verdict.
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

    /// How a test ended when it did not pass.
    private enum Outcome {
        /// The check ran and did not hold.
        case failure
        /// The check could not be made: calls produced no answer.
        case error
    }

    private struct TestCase {
        var className: String
        var name: String
        var seconds: Double = 0
        var problem: (outcome: Outcome, type: String, message: String)?
        var output: String?
    }

    private struct Suite {
        var name: String
        var cases: [TestCase]
        var failures: Int { cases.filter { $0.problem?.outcome == .failure }.count }
        var errors: Int { cases.filter { $0.problem?.outcome == .error }.count }
        var seconds: Double { cases.reduce(0) { $0 + $1.seconds } }
    }

    /// `text` as a class name Jenkins keeps whole: it splits at the last `.`.
    static func className(_ text: String) -> String {
        text.replacingOccurrences(of: ".", with: "_")
    }

    /// Seconds as JUnit's `time`: a dot, three decimals, no grouping, whatever the locale.
    static func time(_ seconds: Double) -> String {
        String(format: "%.3f", locale: Locale(identifier: "en_US_POSIX"), seconds.isFinite ? max(seconds, 0) : 0)
    }

    /// A date as Ant's `timestamp`: `2026-01-05T10:00:00`, UTC, no zone.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                      parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    /// The XML document, ending with a newline.
    public func render() -> String {
        let suiteName = summary.run.suite
        let suiteClass = Self.className(suiteName)
        var suites: [Suite] = []
        if !checks.gateResults.isEmpty {
            suites.append(Suite(name: "\(suiteName) gates", cases: checks.gateResults.map { result in
                let name = result.gate.text + (result.modelID.map { " [\($0)]" } ?? "")
                let line = GateText.line(result)
                return TestCase(className: "\(suiteClass) gates", name: name,
                                problem: result.passed ? nil : (.failure, "gate", line), output: line)
            }))
        }
        if let comparison = checks.baseline {
            let baselineID = comparison.baseline.run.id.map(String.init) ?? "?"
            suites.append(Suite(name: "\(suiteName) regressions", cases: comparison.models.map { change in
                let flips = "\(change.passToFail.count) pass→fail, \(change.failToPass.count) fail→pass; "
                    + "Δ quality \(Formatting.signed(change.comparison.difference, change.comparison.differenceInterval)), "
                    + "Holm p \(Formatting.pValue(change.comparison.adjustedPValue))"
                let fails = change.isRegression && checks.failOnRegression
                return TestCase(className: "\(suiteClass) regressions", name: "\(change.modelID) against run \(baselineID)",
                                problem: fails ? (.failure, "regression", "\(change.modelID) regressed against run \(baselineID): \(flips)") : nil,
                                output: flips)
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
                let name = "\(model.modelID) › \(task.taskID)"
                var problem: (Outcome, String, String)?
                if result.errors > 0 {
                    problem = (.error, "no answer",
                               "\(name): \(result.errors) of \(result.calls) calls produced no answer; \(output)")
                } else if regressedTasks.contains("\(model.modelID)\u{0}\(task.taskID)") {
                    let baselineID = checks.baseline?.baseline.run.id.map(String.init) ?? "?"
                    problem = (.failure, "regression", "\(name) regressed against run \(baselineID); \(output)")
                }
                taskCases.append(TestCase(className: suiteClass, name: name, seconds: result.callTimeMs / 1000,
                                          problem: problem, output: output))
            }
        }
        suites.append(Suite(name: suiteName, cases: taskCases))

        let timestamp = Self.timestamp(summary.run.startedAt)
        let total = suites.reduce(0) { $0 + $1.cases.count }
        let failures = suites.reduce(0) { $0 + $1.failures }
        let errors = suites.reduce(0) { $0 + $1.errors }
        let seconds = suites.reduce(0) { $0 + $1.seconds }
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<testsuites name=\"\(XMLText.escape("tradeoff: " + suiteName))\" tests=\"\(total)\" failures=\"\(failures)\" "
                + "errors=\"\(errors)\" time=\"\(Self.time(seconds))\">",
        ]
        for suite in suites {
            lines.append("  <testsuite name=\"\(XMLText.escape(suite.name))\" tests=\"\(suite.cases.count)\" "
                         + "failures=\"\(suite.failures)\" errors=\"\(suite.errors)\" skipped=\"0\" "
                         + "time=\"\(Self.time(suite.seconds))\" timestamp=\"\(timestamp)\">")
            for test in suite.cases {
                let open = "    <testcase classname=\"\(XMLText.escape(test.className))\" name=\"\(XMLText.escape(test.name))\" "
                    + "time=\"\(Self.time(test.seconds))\""
                guard test.problem != nil || test.output != nil else {
                    lines.append(open + "/>")
                    continue
                }
                lines.append(open + ">")
                if let problem = test.problem {
                    let element = problem.outcome == .failure ? "failure" : "error"
                    let message = XMLText.escape(problem.message)
                    lines.append("      <\(element) type=\"\(XMLText.escape(problem.type))\" message=\"\(message)\">\(message)</\(element)>")
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
