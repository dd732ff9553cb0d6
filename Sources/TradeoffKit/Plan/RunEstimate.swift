/// What a plan will cost before anything is spent: per model, the calls, the estimated input
/// and output tokens, and the estimated cost.
///
/// Input is estimated from the rendered prompts at about 4 characters per token (the same
/// estimate used when a provider reports no usage). Output is the task's `max_tokens` — the
/// worst case — unless earlier runs in the results database observed this model on this task,
/// in which case their mean output is used; each estimate says which.
///
/// A model priced by the hour is costed as a run costs it (`HourlyPricing`): at the throughput
/// its price states for production, else at the throughput measured in the latest earlier run
/// of the model in the results database; without either it is left unpriced.
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
        /// nil when the model is unpriced, or priced by the hour with no throughput to cost it at.
        public var costMicros: Int64?
        /// For a model priced by the hour: the throughput it is costed at (stated, or measured in
        /// an earlier run); nil when there is none, or it is priced per token.
        public var hourlyBasis: HourlyPricing.Basis?
        /// The same calls through the provider's batch API (`run --batch`); nil when `run --batch`
        /// leaves the model to run as usual (`BatchSettings.reasonNotBatched`), or `costMicros` is nil.
        public var batchCostMicros: Int64? = nil
    }

    public var models: [Model]
    /// The judges' calls: one per answer and judge of each judge grader. Input is the judge's
    /// prompt with the answer's estimated length; output is the judge's mean in earlier runs,
    /// else the grader's `max_tokens`.
    public var judges: [Model] = []

    /// Estimates `plan`.
    ///
    /// - Parameters:
    ///   - observedOutput: mean output tokens per model id and task id, from earlier runs.
    ///   - observedJudgeOutput: mean output tokens per judge model id, from earlier runs.
    ///   - observedThroughput: per model id, the throughput measured in its latest earlier run
    ///     (`ResultStore.observedThroughput`), for models priced by the hour without a stated one.
    public init(_ plan: RunPlan, observedOutput: [String: [String: Double]] = [:],
                observedJudgeOutput: [String: Double] = [:], observedThroughput: [String: HourlyPricing.Basis] = [:]) {
        // Input tokens per item do not depend on the model: count them once.
        let inputs = plan.items.map { Usage.estimated(for: plan.chatRequest(for: $0), answer: "").inputTokens }
        // Per item, the candidates' output tokens summed: what judges read on top of their prompt.
        var answers = [Int](repeating: 0, count: plan.items.count)
        models = plan.models.map { model in
            var input = 0, output = 0
            let hourly = model.hourlyPrice.flatMap { price in
                (price.throughput.map { HourlyPricing.Basis(source: .stated, throughput: $0) }
                    ?? observedThroughput[model.id]).map { (price, $0) }
            }
            var cost: Int64? = model.price == nil && hourly == nil ? nil : 0
            var batchCost: Int64? = model.price != nil && BatchSettings.reasonNotBatched(model) == nil ? 0 : nil
            var observedTasks = Set<String>(), boundedTasks = Set<String>()
            for (position, (item, sharedInput)) in zip(plan.items, inputs).enumerated() {
                let task = plan.suite.tasks[item.taskIndex]
                // A model with its own wording reads its own prompt.
                let inputTokens = task.overrides[model.id] == nil ? sharedInput
                    : Usage.estimated(for: plan.chatRequest(for: item, modelID: model.id), answer: "").inputTokens
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
                answers[position] += outputTokens
                if let price = model.price {
                    let usage = Usage(uncachedInputTokens: inputTokens, outputTokens: outputTokens, source: .estimated)
                    cost? += price.costMicros(of: usage)
                    batchCost? += price.costMicros(of: usage, batch: true)
                } else if let (price, basis) = hourly {
                    let call = HourlyPricing.Call(finishedAt: .distantPast, latencyMs: nil, answered: true,
                                                  outputTokens: outputTokens)
                    cost? += HourlyPricing.costMicros(of: call, price, at: basis.throughput) ?? 0
                }
            }
            let source: OutputSource = observedTasks.isEmpty ? .maxTokens : (boundedTasks.isEmpty ? .observed : .mixed)
            return Model(modelID: model.id, calls: plan.items.count, inputTokens: input, outputTokens: output,
                         outputSource: source, costMicros: cost, hourlyBasis: hourly?.1, batchCostMicros: batchCost)
        }
        judges = Self.judges(plan, answers: answers, observed: observedJudgeOutput)
    }

    /// The judges' share, in order of first use.
    private static func judges(_ plan: RunPlan, answers: [Int], observed: [String: Double]) -> [Model] {
        let candidates = plan.models.count
        var order: [String] = []
        var byID: [String: Model] = [:]
        for (position, item) in plan.items.enumerated() {
            let task = plan.suite.tasks[item.taskIndex]
            let testCase = task.cases[item.caseIndex]
            let specs = (task.graders + testCase.graders).compactMap(\.judge)
            guard !specs.isEmpty else { continue }
            let chat = plan.chatRequest(for: item, testCase: testCase)
            let system = chat.messages.first { $0.role == .system }?.content
            let prompt = chat.messages.last { $0.role == .user }?.content ?? ""
            for spec in specs {
                let text = JudgePrompt.render(spec, variables: testCase.variables, prompt: prompt, system: system, answer: "")
                let base = Usage.estimated(for: ChatRequest(messages: [ChatMessage(role: .user, content: text)],
                                                            temperature: 0, maxTokens: spec.maxTokens),
                                           answer: "").inputTokens
                for judge in spec.judges {
                    guard let entry = judge.entry else { continue }
                    if byID[judge.id] == nil {
                        order.append(judge.id)
                        byID[judge.id] = Model(modelID: judge.id, calls: 0, inputTokens: 0, outputTokens: 0,
                                               outputSource: observed[judge.id] == nil ? .maxTokens : .observed,
                                               costMicros: entry.price == nil ? nil : 0)
                    }
                    let input = candidates * base + answers[position]
                    let output = candidates * (observed[judge.id].map { Int($0.rounded(.up)) } ?? spec.maxTokens)
                    byID[judge.id]!.calls += candidates
                    byID[judge.id]!.inputTokens += input
                    byID[judge.id]!.outputTokens += output
                    if let price = entry.price {
                        let usage = Usage(uncachedInputTokens: input, outputTokens: output, source: .estimated)
                        byID[judge.id]!.costMicros? += price.costMicros(of: usage)
                    }
                }
            }
        }
        return order.compactMap { byID[$0] }
    }

    /// The sum over priced models and judges; nil when none is priced.
    public var totalCostMicros: Int64? {
        let priced = (models + judges).compactMap(\.costMicros)
        return priced.isEmpty ? nil : priced.reduce(0, +)
    }

    /// The total with `run --batch`: each model that can run in batch mode at its batch cost, the
    /// others (and the judges) as usual; nil when nothing is priced.
    public var totalBatchCostMicros: Int64? {
        let priced = models.compactMap { $0.batchCostMicros ?? $0.costMicros } + judges.compactMap(\.costMicros)
        return priced.isEmpty ? nil : priced.reduce(0, +)
    }
}

extension RunEstimate {
    /// One line per model priced by the hour, saying what its estimate assumes: `qwen-local:
    /// $4.10/hour × 1 replica, costed at 1,850 output tokens/s at concurrency 8, measured in run 3`,
    /// or why it is unpriced.
    public func hourlyNotes(_ plan: RunPlan) -> [String] {
        zip(plan.models, models).compactMap { entry, model in
            guard let price = entry.hourlyPrice else { return nil }
            let hourly = PriceText.summary(of: .hourly(HourlyPrice(perHour: price.perHour, replicas: price.replicas,
                                                                   utilization: price.utilization)))
            guard let basis = model.hourlyBasis else {
                return "\(model.modelID): \(hourly), unpriced: its price states no throughput and no earlier run in the "
                    + "database measured one (add 'throughput: {output_tokens_per_second: N}' to its price, or run it once)"
            }
            return "\(model.modelID): \(hourly), costed at \(PriceText.throughput(basis.throughput)), "
                + (basis.runID.map { "measured in run \($0)" } ?? "stated for production")
        }
    }
}
