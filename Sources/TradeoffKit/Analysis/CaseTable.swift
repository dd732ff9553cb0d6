/// A case's identity within a run.
struct CaseKey: Hashable, Sendable {
    var taskID: String
    var caseID: String
}

/// A run's calls arranged by case: for each model and case, the mean score and the pass
/// fraction over the repeats it answered (repeats are averaged per case first, then across cases).
struct CaseTable: Sendable {
    /// Every case, in suite order; cases only calls name (none should) come last.
    var keys: [CaseKey] = []
    /// Task ids, in order of first appearance.
    var taskIDs: [String] = []
    /// The task (index into `taskIDs`) of each case.
    var taskOfCase: [Int] = []
    /// The cases (indices into `keys`) of each task.
    var casesOfTask: [[Int]] = []
    /// Per model (in the order given), per case: the mean score of the answered repeats; NaN
    /// when the model answered none.
    var scores: [[Double]] = []
    /// Per model, per case: the fraction of answered repeats that passed; NaN when none.
    var passes: [[Double]] = []
    /// Per model, per case: how many repeats it answered (the weight of its mean).
    var answered: [[Int32]] = []
    /// Per model, per case: the index in `calls` of the answered call of lowest repeat, or −1.
    /// (32-bit, like the per-call columns: half the memory of a table of a million cells.)
    var firstAnswer: [[Int32]] = []
    /// Per model, per case: the index in `calls` of the first failed call, or −1.
    var firstFailure: [[Int32]] = []
    /// The most repeats any case got (1 when no case was repeated).
    var repeats = 1
    /// Per call given: its model's position, or −1 for a model not given.
    var modelOfCall: [Int32] = []
    /// Per call given: its case's position in `keys`.
    var caseOfCall: [Int32] = []
    /// Per call given: its repeat.
    var repeatOfCall: [Int32] = []

    /// Each case's position in `keys`: made when asked (comparing two runs), not kept, since a
    /// dictionary of every case is megabytes a big run's report never reads.
    func positions() -> [CaseKey: Int] {
        var positions: [CaseKey: Int] = [:]
        positions.reserveCapacity(keys.count)
        for (position, key) in keys.enumerated() where positions[key] == nil { positions[key] = position }
        return positions
    }

    /// An empty table (`Builder` fills one).
    init() {}

    /// Arranges `calls` (of the models `modelIDs`, on `cases`).
    init(modelIDs: [String], cases: [CaseRecord], calls: [ReportCall]) {
        var builder = Builder(modelIDs: modelIDs, cases: cases)
        for call in calls { builder.add(call) }
        self = builder.finish()
    }

    /// The positions of the calls given (in the order given) in a stable order: by model, case
    /// and repeat; calls of a model not given last, in the order they came. `modelCount` is the
    /// number of models given.
    ///
    /// A counting sort on the positions found, instead of a sort that hashes two strings per
    /// comparison.
    func callOrder(modelCount: Int) -> [Int] {
        let (models, cases, repeats) = (modelOfCall, caseOfCall, repeatOfCall)
        let caseCount = keys.count
        // One bucket per (model, case), and one after them all for unknown models.
        let unknown = modelCount * caseCount
        func bucket(_ index: Int) -> Int { models[index] < 0 ? unknown : Int(models[index]) * caseCount + Int(cases[index]) }
        var starts = [Int](repeating: 0, count: unknown + 2)
        for index in models.indices { starts[bucket(index) + 1] += 1 }
        for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
        var next = starts
        var order = [Int](repeating: 0, count: models.count)
        for index in models.indices {
            let bucket = bucket(index)
            order[next[bucket]] = index
            next[bucket] += 1
        }
        // Repeats of a case in order within their bucket.
        for bucket in 0..<unknown where starts[bucket + 1] - starts[bucket] > 1 {
            let range = starts[bucket]..<starts[bucket + 1]
            order[range].sort { (repeats[$0], $0) < (repeats[$1], $1) }
        }
        return order
    }

    /// The call each model shows on each of `cases` — its first answer, else its first failure —
    /// read from `source` at once, by position.
    func shownCalls<Source: CallSource>(on cases: some Sequence<Int>, from source: Source)
        throws(Source.Failure) -> [Int: ReportCall] {
        var positions: [Int] = []
        for testCase in cases {
            for model in firstAnswer.indices {
                let (first, failure) = (firstAnswer[model][testCase], firstFailure[model][testCase])
                if first >= 0 { positions.append(Int(first)) } else if failure >= 0 { positions.append(Int(failure)) }
            }
        }
        var shown: [Int: ReportCall] = [:]
        for (position, call) in zip(positions, try source.calls(at: positions)) { shown[position] = call }
        return shown
    }

    /// The values of `column` over `cases` (all cases when nil) where the model answered, with
    /// the task of each as its cluster.
    func sample(_ column: [Double], over cases: [Int]?) -> CaseSample {
        var sample = CaseSample()
        // Sized once: a sample of a big run is a few megabytes, and growing it doubles that.
        let size = cases?.count ?? column.count
        sample.values.reserveCapacity(size)
        sample.clusters.reserveCapacity(size)
        func take(_ testCase: Int) {
            let value = column[testCase]
            guard !value.isNaN else { return }
            sample.values.append(value)
            sample.clusters.append(taskOfCase[testCase])
        }
        if let cases { cases.forEach(take) } else { column.indices.forEach(take) }
        return sample
    }

    /// What `sample(_:over:)` would hold, without building it: how many values, and whether
    /// every one is 0 or 1 (what the bootstrap's demand depends on).
    struct Shape: Sendable, Hashable {
        var count: Int
        var isBinary: Bool
    }

    /// The shape of `sample(column, over: cases)`.
    func shape(of column: [Double], over cases: [Int]?) -> Shape {
        var shape = Shape(count: 0, isBinary: true)
        func take(_ testCase: Int) {
            let value = column[testCase]
            guard !value.isNaN else { return }
            shape.count += 1
            if value != 0 && value != 1 { shape.isBinary = false }
        }
        if let cases { cases.forEach(take) } else { column.indices.forEach(take) }
        return shape
    }

    /// How many cases `paired(a, b, over: cases)` would hold, without building it.
    func pairedCount(_ a: Int, _ b: Int, over cases: [Int]?) -> Int {
        var count = 0
        func take(_ testCase: Int) {
            if !scores[a][testCase].isNaN && !scores[b][testCase].isNaN { count += 1 }
        }
        if let cases { cases.forEach(take) } else { keys.indices.forEach(take) }
        return count
    }

    /// Model `a` against model `b` over `cases` (all when nil) that both answered.
    func paired(_ a: Int, _ b: Int, over cases: [Int]?) -> PairedSample {
        var sample = PairedSample(reservingCapacity: cases?.count ?? keys.count)
        func take(_ testCase: Int) {
            let (scoreA, scoreB) = (scores[a][testCase], scores[b][testCase])
            guard !scoreA.isNaN, !scoreB.isNaN else { return }
            sample.a.append(scoreA)
            sample.b.append(scoreB)
            // A repeated case passes when it passed in most of its repeats.
            sample.passedA.append(passes[a][testCase] > 0.5)
            sample.passedB.append(passes[b][testCase] > 0.5)
            sample.clusters.append(taskOfCase[testCase])
        }
        if let cases { cases.forEach(take) } else { keys.indices.forEach(take) }
        return sample
    }
}

/// One model's per-case values, with the cluster (task) of each.
struct CaseSample: Sendable {
    var values: [Double] = []
    var clusters: [Int] = []

    /// Whether every value is 0 or 1, so the mean is a proportion.
    var isBinary: Bool { values.allSatisfy { $0 == 0 || $0 == 1 } }
}

/// Two models' per-case scores and outcomes on the cases both answered.
struct PairedSample: Sendable {
    var a: [Double] = []
    var b: [Double] = []
    var passedA: [Bool] = []
    var passedB: [Bool] = []
    var clusters: [Int] = []

    var count: Int { a.count }

    init(a: [Double] = [], b: [Double] = [], passedA: [Bool] = [], passedB: [Bool] = [], clusters: [Int] = []) {
        (self.a, self.b, self.passedA, self.passedB, self.clusters) = (a, b, passedA, passedB, clusters)
    }

    /// An empty sample with room for `capacity` cases.
    init(reservingCapacity capacity: Int) {
        a.reserveCapacity(capacity)
        b.reserveCapacity(capacity)
        passedA.reserveCapacity(capacity)
        passedB.reserveCapacity(capacity)
        clusters.reserveCapacity(capacity)
    }
}
