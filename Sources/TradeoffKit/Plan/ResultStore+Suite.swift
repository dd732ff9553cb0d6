extension ResultStore {
    /// Records the start of a run of `suite`: the run row, its models and every case of every
    /// task, in suite order.
    ///
    /// - Returns: the new run's id.
    public func beginRun(_ run: RunRecord, models: [ModelEntry], suite: Suite) throws -> Int64 {
        let cases = suite.tasks.flatMap { task in
            task.cases.enumerated().map { position, testCase in
                CaseRecord(runId: 0, taskId: task.id, caseId: testCase.id, position: task.cases.suitePosition(of: position),
                           variables: testCase.variables)
            }
        }
        return try beginRun(run, models: models, cases: cases)
    }
}
