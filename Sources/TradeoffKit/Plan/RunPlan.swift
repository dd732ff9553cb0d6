/// What a run will do: every case of every task on every selected model.
public struct RunPlan: Sendable {
    /// One call to make: a case of a task (one of its repeats, in one of the prompt variants),
    /// on a model.
    public struct Item: Sendable, Hashable {
        public var taskIndex: Int
        public var caseIndex: Int
        /// 0-based; a task with `repeats: K` has K items per case.
        public var repeatIndex: Int = 0
        /// The position of the prompt variant in `Suite.variants`; 0 without variants.
        public var variantIndex: Int = 0
    }

    /// The (task, case, repeat, variant) items of a plan, in suite order, computed from their
    /// position rather than stored, so a plan's memory does not grow with its cases.
    public struct Items: RandomAccessCollection, Sendable {
        /// Per task: the position of its first item, and its repeats.
        private let firsts: [Int]
        private let repeats: [Int]
        /// Items per repeat of a case: the prompt variants (1 without).
        private let variants: Int
        public let endIndex: Int
        public var startIndex: Int { 0 }

        init(_ suite: Suite) {
            var firsts: [Int] = []
            var repeats: [Int] = []
            var next = 0
            let variants = Swift.max(1, suite.variants.count)
            for task in suite.tasks {
                firsts.append(next)
                repeats.append(Swift.max(1, task.settings.repeats))
                next += task.cases.count * repeats[repeats.count - 1] * variants
            }
            self.firsts = firsts
            self.repeats = repeats
            self.variants = variants
            endIndex = next
        }

        public subscript(position: Int) -> Item {
            // The last task starting at or before `position` (tasks without cases start where the next does).
            var low = 0, high = firsts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if firsts[middle] <= position { low = middle } else { high = middle - 1 }
            }
            let offset = position - firsts[low]
            let perCase = repeats[low] * variants
            let rest = offset % perCase
            return Item(taskIndex: low, caseIndex: offset / perCase, repeatIndex: rest / variants,
                        variantIndex: rest % variants)
        }
    }

    /// The suite as run: with `shard`, only that slice's cases.
    public var suite: Suite
    public var models: [ModelEntry]
    /// The slice of the cases this plan runs, if any.
    public var shard: Shard?
    /// The quick slice (`--only-tasks`, `--limit`, `--sample`) this plan runs, if any.
    public var slice: QuickSlice?
    /// The (task, case) pairs every model answers, in suite order.
    public let items: Items
    /// The prompt variants' ids, found once: `Suite.variants` looks through the tasks (copying
    /// each it passes), and every call asks for its variant.
    private let variantIDs: [String]

    /// Plans `suite` on `models`, or on the cases of one `shard` of it, narrowed further to a
    /// quick `slice` (taken from the shard's cases).
    public init(suite: Suite, models: [ModelEntry], shard: Shard? = nil, slice: QuickSlice? = nil) {
        var suite = suite
        if let shard {
            for index in suite.tasks.indices {
                let taskID = suite.tasks[index].id
                suite.tasks[index].cases.keep { shard.contains(taskID: taskID, caseID: $0.id) }
            }
        }
        let slice = slice?.isEmpty == true ? nil : slice
        if let slice {
            suite.tasks.removeAll { !slice.includes(taskID: $0.id) }
            for index in suite.tasks.indices {
                let task = suite.tasks[index]
                if let positions = slice.positions(count: task.cases.count, taskID: task.id) {
                    suite.tasks[index].cases.keep(positions: positions)
                }
            }
        }
        self.suite = suite
        self.models = models
        self.shard = shard
        self.slice = slice
        items = Items(suite)
        variantIDs = suite.variants
    }

    /// Calls in the run: items × models.
    public var callCount: Int { items.count * models.count }

    /// The prompt variants' ids every task runs under (`Suite.variants`); empty without.
    public var variants: [String] { variantIDs }

    /// The prompt variant of `item`; nil without variants.
    public func variant(of item: Item) -> String? {
        variantIDs.isEmpty ? nil : variantIDs[item.variantIndex]
    }

    /// `66 cases × 5 models = 330 calls`, `20 cases (60 with repeats) × 2 models = 120 calls`,
    /// `2 cases × 2 prompt variants × 2 models = 8 calls`, or `1 case × 1 model = 1 call`.
    public var summary: String {
        let cases = suite.caseCount
        let variantCount = variants.count
        let sampled = items.count / Swift.max(1, variantCount)
        let repeats = sampled == cases ? "" : " (\(sampled) with repeats)"
        func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        let wordings = variantCount == 0 ? "" : " × \(counted(variantCount, "prompt variant"))"
        return "\(counted(cases, "case"))\(repeats)\(wordings) × \(counted(models.count, "model")) = \(counted(callCount, "call"))"
    }

    /// The chat request for one item: the task's system prompt, its conversation and the case's
    /// filled prompt, in the wording of `modelID` when it has its own (nil: the task's).
    public func chatRequest(for item: Item, modelID: String? = nil) -> ChatRequest {
        chatRequest(for: item, testCase: suite.tasks[item.taskIndex].cases[item.caseIndex], modelID: modelID)
    }

    /// The chat request for one item whose case was already read.
    public func chatRequest(for item: Item, testCase: TestCase, modelID: String? = nil) -> ChatRequest {
        suite.tasks.withUnsafeBufferPointer { tasks in
            chatRequest(for: item, task: tasks[item.taskIndex], testCase: testCase, modelID: modelID)
        }
    }

    /// The chat request for one item of `task`, read where it is: a copy of the task, out of the
    /// suite's array for every call, retained its fourteen fields.
    private func chatRequest(for item: Item, task: borrowing SuiteTask, testCase: TestCase, modelID: String?) -> ChatRequest {
        var chat = ChatRequest(messages: task.conversation(for: testCase, modelID: modelID, variant: variant(of: item)),
                               temperature: task.settings.temperature, maxTokens: task.settings.maxTokens)
        chat.tools = task.tools
        chat.toolChoice = task.toolChoice
        chat.responseFormat = task.responseFormat
        // Logprobs only where a `confidence` grader reads them: they change the request.
        chat.logprobs = task.graders.contains(where: \.readsLogprobs) || testCase.graders.contains(where: \.readsLogprobs)
        return chat
    }
}
