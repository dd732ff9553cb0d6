/// A quick slice of a suite, for local runs and PR jobs: only some tasks (`--only-tasks a,b`),
/// the first N cases of each task (`--limit N`), or a seeded random N of each (`--sample N
/// --seed S`). A run records its slice, its reports say it is one, and a resume keeps it.
///
/// A sample depends only on the seed, the task's id and its number of cases, so the same flags
/// pick the same cases on any machine; the cases keep their suite order.
public struct QuickSlice: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The tasks run, in the order given; nil runs every task.
    public var onlyTasks: [String]?
    /// The first N cases of each task.
    public var limit: Int?
    /// A random N cases of each task, drawn with `seed`.
    public var sample: Int?
    /// The seed of `sample`.
    public var seed: UInt64?

    /// Creates a slice; a `sample` without a seed is drawn with seed 0.
    public init(onlyTasks: [String]? = nil, limit: Int? = nil, sample: Int? = nil, seed: UInt64? = nil) {
        self.onlyTasks = onlyTasks
        self.limit = limit
        self.sample = sample
        self.seed = sample == nil ? seed : (seed ?? 0)
    }

    /// Whether the slice leaves anything out at all.
    public var isEmpty: Bool { onlyTasks == nil && limit == nil && sample == nil }

    /// Whether the task `id` is run.
    public func includes(taskID id: String) -> Bool { onlyTasks?.contains(id) ?? true }

    /// The positions kept of a task with `count` cases, ascending; nil keeps them all.
    public func positions(count: Int, taskID: String) -> [Int]? {
        if let limit { return count > limit ? Array(0..<limit) : nil }
        guard let sample, count > sample else { return nil }
        // A partial Fisher–Yates shuffle with SplitMix64, seeded by the seed and the task's id
        // (FNV-1a), so one task's sample does not move when another task is added.
        var state = (seed ?? 0) ^ Self.fnv1a(taskID)
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var positions = Array(0..<count)
        for index in 0..<sample {
            let pick = index + Int(next() % UInt64(count - index))
            positions.swapAt(index, pick)
        }
        return positions[0..<sample].sorted()
    }

    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// For people: `tasks triage, extract; the first 5 cases of each task` or `a random 10
    /// cases of each task (seed 42)`.
    public var description: String {
        var parts: [String] = []
        if let onlyTasks { parts.append("tasks " + onlyTasks.joined(separator: ", ")) }
        if let limit { parts.append("the first \(limit) case\(limit == 1 ? "" : "s") of each task") }
        if let sample { parts.append("a random \(sample) case\(sample == 1 ? "" : "s") of each task (seed \(seed ?? 0))") }
        return parts.isEmpty ? "the whole suite" : parts.joined(separator: "; ")
    }

    /// The flags that make this slice: `--only-tasks a,b --limit 5`.
    public var flags: String {
        var flags: [String] = []
        if let onlyTasks { flags.append("--only-tasks " + onlyTasks.joined(separator: ",")) }
        if let limit { flags.append("--limit \(limit)") }
        if let sample { flags.append("--sample \(sample) --seed \(seed ?? 0)") }
        return flags.joined(separator: " ")
    }
}
