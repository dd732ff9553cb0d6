/// What a plan will cost before anything is spent: per model, the calls, the estimated input
/// and output tokens, and the estimated cost.
///
/// Input is estimated from the rendered prompts at about 4 characters per token (the same
/// estimate used when a provider reports no usage). Output is the task's `max_tokens` — the
/// worst case — unless earlier runs in the results database observed this model on this task,
/// in which case their mean output is used; each estimate says which.
public struct RunEstimate: Sendable, Hashable {
    /// Where an output estimate came from.
    public enum OutputSource: String, Sendable, Hashable {
        /// The task's `max_tokens`: an upper bound.
        case maxTokens = "max_tokens"
        /// The mean output tokens observed in earlier runs.
        case observed
        /// Some tasks observed, others at `max_tokens`.
        case mixed
    }

    /// One model's share.
    public struct Model: Sendable, Hashable {
        public var modelID: String
        public var calls: Int
        public var inputTokens: Int
        public var outputTokens: Int
        public var outputSource: OutputSource
        /// nil when the model is unpriced or priced by the hour (known only after the run).
        public var costMicros: Int64?
    }

    public var models: [Model]

    /// Estimates `plan`.
    ///
    /// - Parameter observedOutput: mean output tokens per model id and task id, from earlier runs.
    public init(_ plan: RunPlan, observedOutput: [String: [String: Double]] = [:]) {
        // Input tokens per item do not depend on the model: count them once.
        let inputs = plan.items.map { Usage.estimated(for: plan.chatRequest(for: $0), answer: "").inputTokens }
        models = plan.models.map { model in
            var input = 0, output = 0
            var cost: Int64? = model.price == nil ? nil : 0
            var observedTasks = Set<String>(), boundedTasks = Set<String>()
            for (item, inputTokens) in zip(plan.items, inputs) {
                let task = plan.suite.tasks[item.taskIndex]
                let outputTokens: Int
                if let mean = observedOutput[model.id]?[task.id] {
                    outputTokens = Int(mean.rounded(.up))
                    observedTasks.insert(task.id)
                } else {
                    outputTokens = task.settings.maxTokens
                    boundedTasks.insert(task.id)
                }
                input += inputTokens
                output += outputTokens
                if let price = model.price {
                    let usage = Usage(uncachedInputTokens: inputTokens, outputTokens: outputTokens, source: .estimated)
                    cost? += price.costMicros(of: usage)
                }
            }
            let source: OutputSource = observedTasks.isEmpty ? .maxTokens : (boundedTasks.isEmpty ? .observed : .mixed)
            return Model(modelID: model.id, calls: plan.items.count, inputTokens: input, outputTokens: output,
                         outputSource: source, costMicros: cost)
        }
    }

    /// The sum over priced models; nil when none is priced.
    public var totalCostMicros: Int64? {
        let priced = models.compactMap(\.costMicros)
        return priced.isEmpty ? nil : priced.reduce(0, +)
    }
}
