/// The cases of a task: written in the suite (held in memory), or the rows of a JSONL dataset
/// (read from the file when needed, so memory does not grow with the cases), possibly narrowed
/// to a slice (`--shard`).
public struct CaseList: RandomAccessCollection, Sendable, Hashable, ExpressibleByArrayLiteral {
    private enum Storage: Sendable, Hashable {
        case inline([TestCase])
        /// The rows of a JSONL or CSV file, and the JSONL field holding a row's conversation.
        case dataset(DatasetFile, messagesField: String?)
    }

    private var storage: Storage
    /// The positions kept, in order; nil keeps all.
    private var selection: [Int32]?

    /// Cases held in memory.
    public init(_ cases: [TestCase]) {
        storage = .inline(cases)
    }

    public init(arrayLiteral cases: TestCase...) {
        self.init(cases)
    }

    /// The rows of a dataset, read when needed; a row's `messagesField` (JSONL) holds its turns.
    init(_ dataset: DatasetFile, messagesField: String? = nil) {
        storage = .dataset(dataset, messagesField: messagesField)
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        if let selection { return selection.count }
        return switch storage {
        case .inline(let cases): cases.count
        case .dataset(let dataset, _): dataset.count
        }
    }

    /// The case at `position`; a dataset's is read from its file.
    public subscript(position: Int) -> TestCase {
        let index = selection.map { Int($0[position]) } ?? position
        return switch storage {
        case .inline(let cases): cases[index]
        case .dataset(let dataset, let field): dataset.testCase(at: index, messagesField: field)
        }
    }

    /// The dataset the cases are read from, if any.
    public var dataset: DatasetFile? {
        if case .dataset(let dataset, _) = storage { dataset } else { nil }
    }

    /// Graders that cases add to their task's (a dataset's rows add none).
    public var caseGraders: [GraderSpec] {
        guard case .inline(let cases) = storage else { return [] }
        return cases.flatMap(\.graders)
    }

    /// Keeps the cases that `isIncluded` accepts, in order (a dataset is read through once).
    public mutating func keep(where isIncluded: (TestCase) -> Bool) {
        let kept = indices.filter { isIncluded(self[$0]) }
        let base = selection
        selection = kept.map { base?[$0] ?? Int32($0) }
    }

    /// Keeps the cases at `positions` (ascending positions of this list), in order.
    public mutating func keep(positions: [Int]) {
        let base = selection
        selection = positions.map { base?[$0] ?? Int32($0) }
    }

    /// The place in the whole task of the case at `position`: a slice's cases keep the place
    /// they have in the suite, so the cases of merged shards sort as the unsharded run's.
    public func suitePosition(of position: Int) -> Int {
        selection.map { Int($0[position]) } ?? position
    }

    /// Changes every case held in memory (a dataset's rows have nothing to change).
    mutating func updateInline(_ body: (inout TestCase) -> Void) {
        guard case .inline(var cases) = storage else { return }
        storage = .inline([])
        for index in cases.indices { body(&cases[index]) }
        storage = .inline(cases)
    }
}
