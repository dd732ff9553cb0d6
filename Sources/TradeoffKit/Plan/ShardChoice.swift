/// A `--shard` value: a slice named outright (`2/4`), or `auto/N` and `auto`, which take the
/// slice from the pod's `JOB_COMPLETION_INDEX` (set by a Kubernetes Indexed Job, 0-based, so
/// index 0 runs slice 1/N) and, for `auto`, the number of slices from `TRADEOFF_SHARD_COUNT`.
///
/// Parsing checks the text alone; the environment is read by `resolve(environment:)`, when the
/// command runs.
public enum ShardChoice: Sendable, Hashable {
    /// `i/n`.
    case fixed(Shard)
    /// The count, when the flag says it (`auto/N`).
    case auto(count: Int?)

    /// The variable a Kubernetes Indexed Job sets in each pod: the pod's index, from 0.
    public static let completionIndexVariable = "JOB_COMPLETION_INDEX"
    /// The variable `--shard auto` reads the number of shards from.
    public static let countVariable = "TRADEOFF_SHARD_COUNT"

    /// Parses `i/n`, `auto/N` or `auto`.
    ///
    /// - Throws: `ShardError` saying what a valid value looks like.
    public init(parsing text: String) throws {
        if text == "auto" {
            self = .auto(count: nil)
        } else if text.hasPrefix("auto/") {
            guard let count = Int(text.dropFirst("auto/".count)), count >= 1 else {
                throw ShardError("--shard auto/N needs N, the number of shards, 1 or more (e.g. auto/4), got '\(text)'")
            }
            self = .auto(count: count)
        } else if let shard = Shard(text) {
            self = .fixed(shard)
        } else {
            throw ShardError("--shard must be i/n with 1 <= i <= n (e.g. 2/4), auto/n or auto, got '\(text)'")
        }
    }

    /// The slice this process runs.
    ///
    /// - Throws: `ShardError` saying which variable is missing or out of range and what to give
    ///   instead.
    public func resolve(environment: [String: String]) throws -> Shard {
        let given: Int?
        switch self {
        case .fixed(let shard): return shard
        case .auto(let count): given = count
        }
        let flag = given.map { "auto/\($0)" } ?? "auto"
        let count: Int
        if let given {
            count = given
        } else {
            guard let value = environment[Self.countVariable], !value.isEmpty else {
                throw ShardError("--shard auto needs the number of shards: give --shard auto/N, or set \(Self.countVariable) "
                                 + "to it (the Job's completions)")
            }
            guard let parsed = Int(value), parsed >= 1 else {
                throw ShardError("\(Self.countVariable) must be the number of shards, 1 or more, got '\(value)'")
            }
            count = parsed
        }
        guard let value = environment[Self.completionIndexVariable], !value.isEmpty else {
            throw ShardError("--shard \(flag) reads the slice from \(Self.completionIndexVariable), which a Kubernetes "
                             + "Indexed Job sets in each pod, and it is not set; give --shard i/n instead")
        }
        guard let index = Int(value), (0..<count).contains(index) else {
            throw ShardError("\(Self.completionIndexVariable) is '\(value)', but with \(count) shards it must be 0 to "
                             + "\(count - 1) (the Job's completions must equal the number of shards)")
        }
        return Shard(index: index + 1, count: count)
    }
}

/// A `--shard` value that names no slice; the message says what to give instead.
public struct ShardError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
