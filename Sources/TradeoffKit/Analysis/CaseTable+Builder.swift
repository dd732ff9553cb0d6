extension CaseTable {
    /// Builds a `CaseTable` one call at a time, so a run's calls can be folded in as they are read
    /// and never held all at once.
    struct Builder: Sendable {
        private var table = CaseTable()
        private var taskIndex: [String: Int] = [:]
        /// Per task, its cases' positions by id: a call's task is usually its predecessor's, so
        /// most lookups hash one string instead of two.
        private var casesByTask: [String: [String: Int]] = [:]
        private var lastTask: String?
        private var lastCases: [String: Int] = [:]
        /// The case of the call added last.
        private var lastCase: Int?
        private var modelIndex: [String: Int] = [:]
        private var lastModel: (id: String, position: Int?)?
        private let modelCount: Int
        /// Per model, per case: the repeat of `firstAnswer`.
        private var repeatOfFirst: [[Int32]]

        /// A table of models `modelIDs` on `cases` (in suite order), with no call yet.
        init(modelIDs: [String], cases: [CaseRecord]) {
            modelCount = modelIDs.count
            for (position, id) in modelIDs.enumerated() where modelIndex[id] == nil { modelIndex[id] = position }
            repeatOfFirst = []
            for testCase in cases { add(CaseKey(taskID: testCase.taskId, caseID: testCase.caseId)) }
            let count = table.keys.count
            let zeros = [[Double]](repeating: [Double](repeating: 0, count: count), count: modelCount)
            (table.scores, table.passes) = (zeros, zeros)
            table.answered = [[Int32]](repeating: [Int32](repeating: 0, count: count), count: modelCount)
            table.firstAnswer = [[Int32]](repeating: [Int32](repeating: -1, count: count), count: modelCount)
            table.firstFailure = table.firstAnswer
            repeatOfFirst = table.answered
        }

        /// The calls added so far in a stable order (`CaseTable.callOrder(modelCount:)`).
        var callOrder: [Int] { table.callOrder(modelCount: modelCount) }

        /// The task (an index into the task ids, in order of first appearance) of case `testCase`.
        func task(of testCase: Int) -> Int { table.taskOfCase[testCase] }

        /// Adds the next call (its position is the number of calls added before it); returns its
        /// model's position (−1 for a model not given) and its case's.
        @discardableResult
        mutating func add(_ call: ReportCall) -> (model: Int, testCase: Int) {
            let position = Int32(clamping: table.modelOfCall.count)
            let testCase = caseOf(call)
            table.caseOfCall.append(Int32(testCase))
            let repeatIndex = Int32(clamping: call.repeatIndex)
            table.repeatOfCall.append(repeatIndex)
            if lastModel?.id != call.modelId { lastModel = (call.modelId, modelIndex[call.modelId]) }
            guard let model = lastModel?.position else {
                table.modelOfCall.append(-1)
                return (-1, testCase)
            }
            table.modelOfCall.append(Int32(model))
            table.repeats = max(table.repeats, call.repeatIndex + 1)
            guard call.errorClass == nil else {
                if table.firstFailure[model][testCase] < 0 { table.firstFailure[model][testCase] = position }
                return (model, testCase)
            }
            table.answered[model][testCase] += 1
            table.scores[model][testCase] += call.score ?? 0
            table.passes[model][testCase] += call.passed == true ? 1 : 0
            if table.firstAnswer[model][testCase] < 0 || repeatIndex < repeatOfFirst[model][testCase] {
                table.firstAnswer[model][testCase] = position
                repeatOfFirst[model][testCase] = repeatIndex
            }
            return (model, testCase)
        }

        /// The table: each model's sums over a case's answered repeats become their means. The
        /// builder gives its table up (it is left empty), so the means are written in place
        /// rather than into a copy of every model's scores.
        mutating func finish() -> CaseTable {
            var table = CaseTable()
            swap(&table, &self.table)
            for model in 0..<modelCount {
                for testCase in table.keys.indices {
                    let n = table.answered[model][testCase]
                    table.scores[model][testCase] = n > 0 ? table.scores[model][testCase] / Double(n) : .nan
                    table.passes[model][testCase] = n > 0 ? table.passes[model][testCase] / Double(n) : .nan
                }
            }
            return table
        }

        /// The position of `call`'s case, added when no recorded case has its key (calls always
        /// name a recorded case, a foreign key says so; this keeps any stray one visible).
        private mutating func caseOf(_ call: ReportCall) -> Int {
            // A run stored case by case gives a case's calls one after another, one stored model
            // by model gives the cases in order: most calls are the last call's case or the
            // next, told by comparing two short strings instead of hashing one.
            if let last = lastCase, last < table.keys.count {
                for guess in last..<min(last + 2, table.keys.count) {
                    let key = table.keys[guess]
                    if key.caseID == call.caseId, key.taskID == call.taskId {
                        lastCase = guess
                        return guess
                    }
                }
            }
            let found = lookUpCase(of: call)
            lastCase = found
            return found
        }

        /// `caseOf(_:)` by the cases of the call's task, by id.
        private mutating func lookUpCase(of call: ReportCall) -> Int {
            if call.taskId != lastTask {
                lastTask = call.taskId
                lastCases = casesByTask[call.taskId] ?? [:]
            }
            if let testCase = lastCases[call.caseId] { return testCase }
            add(CaseKey(taskID: call.taskId, caseID: call.caseId))
            let position = table.keys.count - 1
            lastCases[call.caseId] = position
            for model in 0..<modelCount {
                table.scores[model].append(0)
                table.passes[model].append(0)
                table.answered[model].append(0)
                table.firstAnswer[model].append(-1)
                table.firstFailure[model].append(-1)
                repeatOfFirst[model].append(0)
            }
            return position
        }

        private mutating func add(_ key: CaseKey) {
            guard casesByTask[key.taskID]?[key.caseID] == nil else { return }
            let task: Int
            if let known = taskIndex[key.taskID] {
                task = known
            } else {
                task = table.taskIDs.count
                taskIndex[key.taskID] = task
                table.taskIDs.append(key.taskID)
                table.casesOfTask.append([])
            }
            casesByTask[key.taskID, default: [:]][key.caseID] = table.keys.count
            table.casesOfTask[task].append(table.keys.count)
            table.taskOfCase.append(task)
            table.keys.append(key)
        }
    }
}
