/// How a run's batch-mode models (`batch: true`, `run --batch`) send their calls through their
/// provider's batch API, and whether the run waits for the answers.
public struct BatchSettings: Sendable, Hashable {
    /// Requests in one batch at most (OpenAI: 50,000).
    public var maxRequests: Int
    /// Bytes of one batch's input file at most (OpenAI: 200 MB).
    public var maxBytes: Int
    /// Seconds before a batch is first looked at again; each later wait is 1.5 times the last,
    /// up to `maxPollSeconds`.
    public var pollSeconds: Double
    public var maxPollSeconds: Double
    /// Whether the run waits for its batches; without, it ends once they are submitted and a
    /// resume collects them (`--no-wait`).
    public var wait: Bool
    /// Batches a call is sent in at most: requests that expire or fail in a way a retry may fix
    /// are sent again in a new batch until then.
    public var maxRounds: Int

    /// - Parameters:
    ///   - maxRequests: requests per batch at most. Default 50,000.
    ///   - maxBytes: bytes per batch at most. Default 200 MB.
    ///   - pollSeconds: the first wait between looks at a batch. Default 5.
    ///   - maxPollSeconds: the longest wait between looks. Default 60.
    ///   - wait: whether the run waits for its batches. Default true.
    ///   - maxRounds: batches a call is sent in at most. Default 3.
    public init(maxRequests: Int = 50_000, maxBytes: Int = 200 * 1024 * 1024, pollSeconds: Double = 5,
                maxPollSeconds: Double = 60, wait: Bool = true, maxRounds: Int = 3) {
        self.maxRequests = maxRequests
        self.maxBytes = maxBytes
        self.pollSeconds = pollSeconds
        self.maxPollSeconds = maxPollSeconds
        self.wait = wait
        self.maxRounds = maxRounds
    }

    /// Whether models of `kind` can be run in batch mode (so far OpenAI's Batch API, by OpenAI
    /// and OpenAI-compatible hosts that have it).
    public static func supports(_ kind: ProviderKind) -> Bool {
        kind == .openAI || kind == .openAICompatible
    }
}
