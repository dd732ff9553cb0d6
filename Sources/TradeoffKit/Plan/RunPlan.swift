/// What a run will do: every case of every task on every selected model.
public struct RunPlan: Sendable {
    /// One call to make: a case of a task, on a model.
    public struct Item: Sendable, Hashable {
        public var taskIndex: Int
        public var caseIndex: Int
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
            suite.tasks[taskIndex].cases.indices.map { Item(taskIndex: taskIndex, caseIndex: $0) }
        }
    }

    /// Calls in the run: items × models.
    public var callCount: Int { items.count * models.count }

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
