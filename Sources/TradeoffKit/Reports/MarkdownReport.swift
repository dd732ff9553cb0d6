import Foundation

/// The Markdown report of a run: GitHub-flavoured, readable as a CI job summary.
///
/// The text depends only on the summary (no "generated at" time), so the same results always
/// give the same report. Everything that came from a model or a user file is escaped, so an
/// answer can neither break a table nor inject HTML.
public struct MarkdownReport: Sendable {
    /// What the report shows.
    public var summary: RunSummary

    /// A report of `summary`.
    public init(_ summary: RunSummary) {
        self.summary = summary
    }

    /// The footer that says how the numbers were measured.
    static let footer = "Quality is the mean case score over answered calls; errors are counted apart. "
        + "Latency is the total time of the call as measured by libcurl."

    /// The report as Markdown, ending with a newline.
    public func render() -> String {
        var blocks = [header()]
        if let notice = simulationNotice() { blocks.append(notice) }
        blocks.append(modelsSection())
        blocks.append(tasksSection())
        if summary.errorCount > 0 { blocks.append(errorsSection()) }
        blocks.append(Self.footer)
        return blocks.joined(separator: "\n\n") + "\n"
    }

    // MARK: Sections

    private func header() -> String {
        let run = summary.run
        var facts: [(String, String)] = []
        facts.append(("Run", run.id.map(String.init) ?? "—"))
        facts.append(("Status", run.status.rawValue))
        facts.append(("Started", Self.timestamp(run.startedAt)))
        facts.append(("Finished", run.finishedAt.map(Self.timestamp) ?? "not finished"))
        facts.append(("Duration", summary.duration.map(Self.duration) ?? "—"))
        facts.append(("Tool version", Self.escape(run.toolVersion)))
        facts.append(("Suite file", "\(Self.code(run.suitePath)) (hash \(Self.code(String(run.suiteHash.prefix(12)))))"))
        facts.append(("Catalog", Self.code(run.catalogPath)))
        let errors = summary.errorCount
        facts.append(("Calls made", "\(summary.callCount)" + (errors > 0 ? " (\(errors) failed)" : "")))
        facts.append(("Total spend", totalSpend()))
        let list = facts.map { "- **\($0.0):** \($0.1)" }.joined(separator: "\n")
        return "# Tradeoff report: \(Self.escape(run.suite))\n\n" + list
    }

    private func totalSpend() -> String {
        guard let total = summary.totalCostMicros else { return "unpriced" }
        let unpriced = summary.unpricedModels.map { Self.escape($0.modelID) }
        guard !unpriced.isEmpty else { return Money.format(micros: total) }
        return Money.format(micros: total) + " (priced models only; unpriced: \(unpriced.joined(separator: ", ")))"
    }

    private func simulationNotice() -> String? {
        let simulated = summary.simulatedModels.map { Self.escape($0.modelID) }
        guard !simulated.isEmpty else { return nil }
        let subject = simulated.count == 1 ? "\(simulated[0]) is" : "\(simulated.joined(separator: ", ")) are"
        return "> **Simulated results.** \(subject) simulated by Tradeoff's fake provider, so their answers, "
            + "latencies and costs illustrate the tool and say nothing about the real models."
    }

    private func modelsSection() -> String {
        var rows = [
            "| Model | Class | Cases | Quality | Pass rate | Cost total | Cost / case | p50 latency | p95 latency | Errors |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for model in summary.models {
            let cells = [
                Self.escape(model.modelID),
                model.modelClass.rawValue,
                "\(model.answered)",
                model.meanScore.map(Self.quality) ?? Self.none,
                model.passRate.map(Self.percent) ?? Self.none,
                model.totalCostMicros.map { Money.format(micros: $0) } ?? "unpriced",
                model.priced ? (model.costPerCaseMicros.map { Money.format(micros: $0) } ?? Self.none) : "unpriced",
                model.latencyP50Ms.map(Self.milliseconds) ?? Self.none,
                model.latencyP95Ms.map(Self.milliseconds) ?? Self.none,
                "\(model.errors)",
            ]
            rows.append(Self.row(cells))
        }
        return "## Models\n\n" + rows.joined(separator: "\n")
    }

    private func tasksSection() -> String {
        let models = summary.models
        var rows = [
            Self.row(["Task", "Cases"] + models.map { Self.escape($0.modelID) }),
            "|---|--:|" + String(repeating: "--:|", count: models.count),
        ]
        for task in summary.tasks {
            var cells = [Self.escape(task.taskID), "\(task.caseCount)"]
            for model in models {
                guard let result = task.perModel[model.modelID] else {
                    cells.append(Self.none)
                    continue
                }
                var cell = Self.none
                if let passRate = result.passRate, let score = result.meanScore {
                    cell = "\(Self.percent(passRate)) · \(Self.quality(score))"
                }
                if result.errors > 0 { cell += " (\(result.errors) \(result.errors == 1 ? "error" : "errors"))" }
                cells.append(cell)
            }
            rows.append(Self.row(cells))
        }
        let legend = "Each model cell: pass rate · quality."
        return "## Tasks\n\n" + legend + "\n\n" + rows.joined(separator: "\n")
    }

    private func errorsSection() -> String {
        var rows = ["| Model | Error class | Count | Example |", "|---|---|--:|---|"]
        for model in summary.models {
            for group in model.errorGroups {
                rows.append(Self.row([Self.escape(model.modelID), group.errorClass.rawValue, "\(group.count)",
                                      Self.escape(Self.truncated(group.exampleMessage))]))
            }
        }
        return "## Errors\n\n" + rows.joined(separator: "\n")
    }

    // MARK: Text

    /// Shown where there is nothing to measure (no answered call).
    private static let none = "—"

    private static func row(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |"
    }

    /// Escapes text from a model or a user file for a table cell (or any inline Markdown):
    /// HTML's `&`, `<`, `>` become entities, `\`, `|` and `` ` `` are backslash-escaped, and line
    /// breaks become `<br>`, so the text shows as written and stays in its cell.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            // A table row is split at every `|` not escaped, and `\\|` escapes the backslash, not
            // the pipe: backslashes are doubled first so a literal `\|` stays in its cell.
            case "\\": out += "\\\\"
            case "|": out += "\\|"
            case "`": out += "\\`"
            case "\r\n", "\n", "\r", "\u{2028}", "\u{2029}": out += "<br>"
            default: out.append(character)
            }
        }
        return out
    }

    /// `text` as an inline code span, fenced with more backticks than it holds.
    static func code(_ text: String) -> String {
        let flat = text.map { $0.isNewline ? " " : String($0) }.joined()
        var longest = 0
        var current = 0
        for character in flat {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padding = flat.hasPrefix("`") || flat.hasSuffix("`") ? " " : ""
        return fence + padding + flat + padding + fence
    }

    /// Long example messages are cut at 200 characters; the calls CSV has them whole.
    private static func truncated(_ text: String) -> String {
        text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    private static func quality(_ score: Double) -> String { String(format: "%.3f", score) }

    private static func percent(_ rate: Double) -> String { String(format: "%.1f%%", rate * 100) }

    private static func milliseconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.1f ms", value) : grouped(Int(value.rounded())) + " ms"
    }

    private static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }

    /// UTC, ISO 8601, to the second: `2025-05-01T12:00:00Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0)!))
    }

    /// `12.3 s`, `4 min 12 s`, `1 h 02 min`.
    static func duration(_ seconds: TimeInterval) -> String {
        let seconds = max(0, seconds)
        if seconds < 59.95 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return String(format: "%d h %02d min", whole / 3600, (whole % 3600) / 60)
    }
}
