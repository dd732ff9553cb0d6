/// What a run will do: every case of every task on every selected model.
public struct RunPlan: Sendable {
    /// One call to make: a case of a task (one of its repeats), on a model.
    public struct Item: Sendable, Hashable {
        public var taskIndex: Int
        public var caseIndex: Int
        /// 0-based; a task with `repeats: K` has K items per case.
        public var repeatIndex: Int = 0
    }

    /// The suite as run: with `shard`, only that slice's cases.
    public var suite: Suite
    public var models: [ModelEntry]
    /// The slice of the cases this plan runs, if any.
    public var shard: Shard?
    /// The (task, case) pairs every model answers, in suite order.
    public var items: [Item]

    /// Plans `suite` on `models`, or on the cases of one `shard` of it.
    public init(suite: Suite, models: [ModelEntry], shard: Shard? = nil) {
        var suite = suite
        if let shard {
            for index in suite.tasks.indices {
                let taskID = suite.tasks[index].id
                suite.tasks[index].cases.removeAll { !shard.contains(taskID: taskID, caseID: $0.id) }
            }
        }
        self.suite = suite
        self.models = models
        self.shard = shard
        items = suite.tasks.indices.flatMap { taskIndex in
            let repeats = max(1, suite.tasks[taskIndex].settings.repeats)
            return suite.tasks[taskIndex].cases.indices.flatMap { caseIndex in
                (0..<repeats).map { Item(taskIndex: taskIndex, caseIndex: caseIndex, repeatIndex: $0) }
            }
        }
    }

    /// Calls in the run: items × models.
    public var callCount: Int { items.count * models.count }

    /// `66 cases × 5 models = 330 calls`, or `20 cases (60 with repeats) × 2 models = 120 calls`.
    public var summary: String {
        let cases = suite.caseCount
        let repeats = items.count == cases ? "" : " (\(items.count) with repeats)"
        return "\(cases) cases\(repeats) × \(models.count) models = \(callCount) calls"
    }

    /// The chat request for one item: the task's system prompt and the case's filled prompt.
    public func chatRequest(for item: Item) -> ChatRequest {
        let task = suite.tasks[item.taskIndex]
        let variables = task.cases[item.caseIndex].variables
        var messages: [ChatMessage] = []
        if let system = task.system { messages.append(ChatMessage(role: .system, content: system.render(variables))) }
        messages.append(ChatMessage(role: .user, content: task.prompt.render(variables)))
        return ChatRequest(messages: messages, temperature: task.settings.temperature,
                           maxTokens: task.settings.maxTokens)
    }
}
