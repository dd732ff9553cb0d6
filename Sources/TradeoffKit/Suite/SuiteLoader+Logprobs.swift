extension SuiteLoader.Session {
    /// Reports each task with a `confidence` grader that models returning no token logprobs
    /// would answer (Anthropic's Messages API has none), at the grader: every such answer would
    /// be a grader error, and a cascade escalating on it would escalate blindly.
    mutating func checkLogprobs(_ tasks: [DecodedTask], models: [ModelEntry], in document: YAMLDocument) {
        let blind = models.filter { $0.provider == .anthropic }
        guard !blind.isEmpty else { return }
        for task in tasks {
            guard let node = task.confidenceNode else { continue }
            let ids = Suggestions.list(blind.map { "'\($0.id)'" }, conjunction: "and")
            let one = blind.count == 1
            log.add(document.error("task '\(task.task.id)' has a 'confidence' grader, which reads the answer's token "
                                   + "logprobs, but \(ids) \(one ? "is" : "are") served by Anthropic's Messages API, "
                                   + "which returns none; leave \(one ? "it" : "them") out with 'only:', or grade "
                                   + "confidence another way (a judge)", at: node))
        }
    }
}
