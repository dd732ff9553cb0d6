import Foundation

/// The page's per-case drill-down: the cases kept by `CaseDrillDown`, as many as fit in
/// `caseBytes`, each folded to one line (its id, each model's result) that opens on each model's
/// answer with its score, every grader's reason, the judges' verdicts and what they cost, tokens,
/// cost and latency; long answers folded again, very long ones cut.
///
/// The filters (task, model, pass or fail, "models disagree") are the page's script's: the
/// markup shows every case and hides the filters, so with the script blocked nothing is hidden.
/// Nothing from data reaches an attribute: tasks and models are named there by position.
struct HTMLDrillDown: Sendable {
    /// The cases.
    var drillDown: CaseDrillDown
    /// The file with every call, named where cases are left out.
    var callsFile: String?

    /// An answer longer than this many characters or lines is folded.
    static let foldCharacters = 300
    static let foldLines = 6
    /// An answer longer than this many characters shows this many, and says where the rest is.
    static let answerCharacters = 20_000
    /// The most bytes of cases the section holds: with the rest of a report, a page of about 2 MB
    /// at most however many cases are kept and however long their answers.
    static let caseBytes = 1_500_000

    /// The section, ending without a newline.
    func render() -> String {
        // Cases in order while they fit; the first always, its answers being bounded.
        var rendered: [String] = []
        var bytes = 0
        for (index, testCase) in drillDown.cases.enumerated() {
            let markup = render(testCase, number: index + 1)
            bytes += markup.utf8.count + 1
            if bytes > Self.caseBytes && !rendered.isEmpty { break }
            rendered.append(markup)
        }
        let cases = Array(drillDown.cases.prefix(rendered.count))
        let leftOut = drillDown.caseCount - cases.count
        let printed = cases.filter(\.modelsDisagree).count
        var lines = ["<section id=\"cases\" aria-labelledby=\"cases-title\">", "<h2 id=\"cases-title\">Cases, one by one</h2>",
                     "<p>\(HTMLText.escape(coverage(of: cases)))</p>"]
        if leftOut > 0 {
            lines.append("<p class=\"left-out\"><strong>\(Formatting.count(leftOut, "case")) left out</strong> "
                         + "to keep the page small; \(file) has every call of every case.</p>")
        }
        lines.append("<p>" + (drillDown.hasVariables
            ? "Prompts are not kept with a run: each case shows its task, its id and the variables its prompt was filled with."
            : "Prompts and variables are not in this report: each case shows its task and id.") + "</p>")
        lines.append("<p class=\"print-only\">" + (printed > 0
            ? "Printed: the \(Formatting.count(printed, "case")) the models disagree on; the page has all \(cases.count)."
            : "Printed: no case the models disagree on; the page has all \(cases.count).") + "</p>")
        lines += filters
        lines.append("<p id=\"case-status\" class=\"status\" role=\"status\" aria-live=\"polite\"></p>")
        lines += rendered
        lines.append("</section>")
        return lines.joined(separator: "\n")
    }

    /// The calls file, as the page names it.
    private var file: String {
        callsFile.map { "<code>\(HTMLText.escape($0))</code>" } ?? "the calls CSV"
    }

    /// Which cases are shown, and in what order.
    private func coverage(of shown: [CaseDrillDown.Case]) -> String {
        let (disagree, failed) = (shown.filter(\.modelsDisagree).count, shown.filter { !$0.modelsDisagree && $0.someModelFailed }.count)
        let all = shown.count == drillDown.caseCount ? "All \(Formatting.count(shown.count, "case"))"
            : "\(Formatting.grouped(shown.count)) of the run's \(Formatting.count(drillDown.caseCount, "case"))"
        var order: [String] = []
        if disagree > 0 { order.append("the \(Formatting.grouped(disagree)) the models disagree on, widest spread first") }
        if failed > 0 { order.append("the \(Formatting.grouped(failed)) some model failed") }
        if shown.count > disagree + failed { order.append("the rest") }
        guard order.count > 1 || disagree > 0 else { return "\(all), in suite order." }
        return "\(all): " + order.joined(separator: ", then ") + (order.count > 1 ? " (these in suite order)." : ".")
    }

    /// The filter controls, hidden until the script shows them.
    private var filters: [String] {
        func options(_ names: [String]) -> String {
            names.enumerated().map { "<option value=\"\($0.offset)\">\(HTMLText.escape($0.element))</option>" }.joined()
        }
        return [
            "<div class=\"filters\" role=\"group\" aria-label=\"Filter the cases\" hidden>",
            "<label for=\"case-task\">Task</label> <select id=\"case-task\"><option value=\"\">All tasks</option>"
                + options(drillDown.taskIDs) + "</select>",
            "<label for=\"case-model\">Model</label> <select id=\"case-model\"><option value=\"\">All models</option>"
                + options(drillDown.modelIDs) + "</select>",
            "<label for=\"case-outcome\">Result</label> <select id=\"case-outcome\"><option value=\"\">Any</option>"
                + "<option value=\"passed\">Passed</option><option value=\"failed\">Failed or error</option></select>",
            "<label><input type=\"checkbox\" id=\"case-disagree\"> Only cases the models disagree on</label>",
            "</div>",
        ]
    }

    private func render(_ testCase: CaseDrillDown.Case, number: Int) -> String {
        // Folded: the list reads as one line a case (its id and each model's result) until opened.
        let outcomes = testCase.answers.map { "<code>\(HTMLText.escape($0.modelID))</code> \(Self.word($0.outcome))" }
        var lines = ["<article class=\"case\" id=\"case-\(number)\" data-task=\"\(testCase.task)\" "
                     + "data-disagree=\"\(testCase.modelsDisagree ? "yes" : "no")\">",
                     "<details class=\"case-body\">",
                     "<summary><h3><code>\(HTMLText.escape(testCase.taskID))</code> / <code>\(HTMLText.escape(testCase.caseID))</code></h3> "
                         + "<span class=\"outcomes\">\(outcomes.joined(separator: " · "))</span></summary>"]
        var facts: [String] = []
        if let spread = testCase.spread {
            facts.append(testCase.modelsDisagree ? "<strong>Models disagree</strong>: scores differ by \(Self.score(spread))."
                         : "The models agree.")
        }
        if let variables = testCase.variables {
            let pairs = variables.sorted { $0.key < $1.key }.map { "<code>\(HTMLText.escape($0.key))</code> = \(HTMLText.lines($0.value))" }
            facts.append(pairs.isEmpty ? "No variables." : "Variables: " + pairs.joined(separator: "; ") + ".")
        }
        if !facts.isEmpty { lines.append("<p>" + facts.joined(separator: " ") + "</p>") }
        for (model, answer) in testCase.answers.enumerated() { lines.append(render(answer, model: model)) }
        lines.append("</details>")
        lines.append("</article>")
        return lines.joined(separator: "\n")
    }

    private func render(_ answer: CaseDrillDown.Answer, model: Int) -> String {
        var heading = "<code>\(HTMLText.escape(answer.modelID))</code>: <strong>\(Self.word(answer.outcome))</strong>"
        if let score = answer.score {
            heading += ", score \(Self.score(score))"
            if drillDown.repeats > 1, let call = answer.call { heading += " (mean of its repeats; repeat \(call.repeatIndex + 1) shown)" }
        }
        var lines = ["<div class=\"answer \(answer.outcome.rawValue)\" data-model=\"\(model)\" data-outcome=\"\(answer.outcome.rawValue)\">",
                     "<h4>\(heading)</h4>"]
        guard let call = answer.call else {
            lines.append("<p>No call was made.</p></div>")
            return lines.joined(separator: "\n")
        }
        if let facts = Self.facts(call) { lines.append("<p class=\"facts\">\(facts)</p>") }
        if let errorClass = call.errorClass {
            let status = call.httpStatus.map { " (HTTP \($0))" } ?? ""
            lines.append("<p>Error <code>\(errorClass.rawValue)</code>\(status): \(HTMLText.lines(call.errorMessage ?? ""))</p>")
        } else {
            lines.append(Self.answerText(call.output ?? "", restIn: file))
            let outcomes = call.graderOutcomes
            lines.append(outcomes.isEmpty ? "<p>No grader reasons are stored for this answer.</p>"
                         : "<ul class=\"grades\">\n" + outcomes.map(Self.render).joined(separator: "\n") + "\n</ul>")
        }
        lines.append("</div>")
        return lines.joined(separator: "\n")
    }

    /// Tokens, cost, latency and the judges' cost of one call; nil when it has none of them.
    static func facts(_ call: ReportCall) -> String? {
        var parts: [String] = []
        if let input = call.inputTokens { parts.append("\(Formatting.grouped(input)) tokens in") }
        if let output = call.outputTokens { parts.append("\(Formatting.grouped(output)) out") }
        if let cost = call.costMicros { parts.append(Money.format(micros: cost) + (call.cacheHit ? " (cached, not spent)" : "")) }
        if let latency = call.latencyMs { parts.append(Formatting.milliseconds(latency)) }
        if let judges = call.judgeCostMicros, judges > 0 { parts.append("judges " + Money.format(micros: judges)) }
        return parts.isEmpty ? nil : HTMLText.escape(parts.joined(separator: " · "))
    }

    /// `passed`, `failed`, `error`, `not run`.
    static func word(_ outcome: CaseDrillDown.Outcome) -> String {
        switch outcome {
        case .passed: return "passed"
        case .failed: return "failed"
        case .error: return "error"
        case .missing: return "not run"
        }
    }

    /// The answer as written, folded when long; past `answerCharacters` cut, saying that `file`
    /// (already markup) has the rest.
    static func answerText(_ text: String, restIn file: String = "the calls CSV") -> String {
        guard !text.isEmpty else { return "<p><em>(empty answer)</em></p>" }
        let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
        let count = text.count
        var pre = "<pre>\(HTMLText.escape(String(text.prefix(answerCharacters))))</pre>"
        if count > answerCharacters {
            pre += "\n<p>The first \(Formatting.grouped(answerCharacters)) characters of \(Formatting.grouped(count)); "
                + "\(file) has the whole answer.</p>"
        }
        guard count > foldCharacters || lineCount > foldLines else { return pre }
        return "<details><summary>Answer: \(Formatting.count(count, "character")), "
            + "\(Formatting.count(lineCount, "line"))</summary>\n\(pre)\n</details>"
    }

    /// One grader's outcome, with each judge's verdict, reason and cost.
    static func render(_ outcome: GraderOutcome) -> String {
        let verdict = outcome.isError ? "error" : outcome.passed ? "pass" : "fail"
        var item = "<li><code>\(HTMLText.escape(outcome.type))</code> <strong>\(verdict)</strong> \(score(outcome.score))"
        if let metric = outcome.metric { item += " (\(HTMLText.escape(metric)))" }
        if !outcome.reason.isEmpty { item += ": " + HTMLText.lines(outcome.reason) }
        if let judges = outcome.judges, !judges.isEmpty {
            let opinions = judges.map { judge -> String in
                var parts = [judge.verdict.map { "verdict " + HTMLText.escape($0) } ?? (judge.isError ? "no verdict" : "—")]
                if let score = judge.score { parts.append("score " + Self.score(score)) }
                if judge.reused {
                    parts.append("reused")
                } else {
                    parts.append(judge.costMicros.map { Money.format(micros: $0) } ?? "unpriced")
                }
                return "<li>judge <code>\(HTMLText.escape(judge.model))</code>: \(parts.joined(separator: ", "))"
                    + (judge.reason.isEmpty ? "" : ": " + HTMLText.lines(judge.reason)) + "</li>"
            }
            item += "\n<ul>\n" + opinions.joined(separator: "\n") + "\n</ul>"
        }
        return item + "</li>"
    }

    /// `1.00`, `0.67`: as `String(format: "%.2f")` writes it (`CSVWriter.fixed`), without its
    /// cost, a tenth of the drill-down's.
    static func score(_ value: Double) -> String { CSVWriter.fixed(value, places: 2) }
}
