extension CaseGrader {
    /// Makes the graders for `testCase` of `task`: the task's, then the case's own.
    ///
    /// - Throws: When a grader's regex does not compile (loading reports these first).
    public init(task: SuiteTask, testCase: TestCase) throws {
        try self.init(taskGraders: task.graders.map(Grader.init), task: task, testCase: testCase)
    }

    /// Makes the graders for `testCase` from its task's graders, already made.
    init(taskGraders: [Grader], task: SuiteTask, testCase: TestCase) throws {
        try self.init(taskGraders: taskGraders, caseGraders: testCase.graders, threshold: task.settings.threshold)
    }
}
