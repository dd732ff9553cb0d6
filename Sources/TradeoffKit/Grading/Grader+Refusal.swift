/// The `not-refusal` grader: passes unless the answer is a refusal (`RefusalCheck`). It needs
/// no reference answer, so it can run online and a cascade can escalate on it.
extension Grader {
    func checkRefusal(_ text: String, context: GradingContext?) -> Check {
        guard let refusal else { return .error("not a not-refusal grader") }
        switch refusal.finding(in: text, finish: context?.finishReason, raw: context?.finishReasonRaw) {
        case nil:
            return Check(true, "not a refusal")
        case .provider(let raw)?:
            return Check(false, "refused: the provider ended the answer with finish reason '\(raw)' (refused or filtered)")
        case .phrase(let phrase)?:
            return Check(false, "refused: the answer opens with the refusal phrasing '\(phrase)'")
        case .pattern(let pattern)?:
            return Check(false, "refused: the answer opens with the suite's refusal pattern '\(pattern)'")
        case .gaveUp(let pattern)?:
            return .error("the refusal pattern '\(pattern)' did not finish matching within "
                          + "\(NumberText.format(RegexMatch.timeLimit)) s")
        }
    }
}
