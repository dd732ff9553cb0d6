/// Who asks judge models for verdicts. Grading needs only this: the calls themselves are made
/// by the runner (`JudgePool`), through the same executor and limits as every other call.
protocol JudgeAsking: Sendable {
    /// Asks one judge for its verdict; `completion` runs when it has answered, or failed to.
    func verdict(_ request: JudgeRequest, completion: @escaping @Sendable (JudgeResult) -> Void)
}

/// What to ask one judge about one answer.
struct JudgeRequest: Sendable {
    var judge: ModelEntry
    var scale: JudgeScale
    var maxTokens: Int
    var prompt: String
    var promptHash: String
    var runID: Int64
    var graderIndex: Int
}

/// A judge's verdict, or why there is none, and the calls it took.
struct JudgeResult: Sendable {
    var verdict: JudgeVerdict?
    var problem: String?
    var records: [JudgeCallRecord]
}
