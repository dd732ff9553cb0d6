/// How a run's batch-mode models (`batch: true`, `run --batch`) send their calls through their
/// provider's batch API, and whether the run waits for the answers.
public struct BatchSettings: Sendable, Hashable {
    /// Requests in one batch at most, below the provider's limit (OpenAI: 50,000; Anthropic:
    /// 100,000); nil for the provider's.
    public var maxRequests: Int?
    /// Bytes of one batch at most, below the provider's limit (OpenAI: 200 MB; Anthropic:
    /// 256 MB); nil for the provider's.
    public var maxBytes: Int?
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
    /// Whether requests that expired or failed in their batch in a way a retry may fix are sent
    /// again at once as ordinary calls (at the usual price) instead of in a new batch (`--batch-fallback`).
    public var fallback: Bool

    /// - Parameters:
    ///   - maxRequests: requests per batch at most. Default: the provider's limit.
    ///   - maxBytes: bytes per batch at most. Default: the provider's limit.
    ///   - pollSeconds: the first wait between looks at a batch. Default 5.
    ///   - maxPollSeconds: the longest wait between looks. Default 60.
    ///   - wait: whether the run waits for its batches. Default true.
    ///   - maxRounds: batches a call is sent in at most. Default 3.
    ///   - fallback: whether failed requests are retried as ordinary calls. Default false.
    public init(maxRequests: Int? = nil, maxBytes: Int? = nil, pollSeconds: Double = 5,
                maxPollSeconds: Double = 60, wait: Bool = true, maxRounds: Int = 3, fallback: Bool = false) {
        self.maxRequests = maxRequests
        self.maxBytes = maxBytes
        self.pollSeconds = pollSeconds
        self.maxPollSeconds = maxPollSeconds
        self.wait = wait
        self.maxRounds = maxRounds
        self.fallback = fallback
    }

    /// Whether models of `kind` can be run in batch mode: OpenAI's Batch API (OpenAI and the
    /// OpenAI-compatible hosts that have it) and Anthropic's Message Batches.
    public static func supports(_ kind: ProviderKind) -> Bool {
        kind == .openAI || kind == .openAICompatible || kind == .azureOpenAI || kind == .anthropic || kind == .gemini
    }

    /// Whether `run --batch` puts `model` in batch mode: OpenAI's and Anthropic's own APIs, and
    /// the compatible hosts known to serve OpenAI's Batch API (Together, Groq). Another
    /// compatible host (OpenRouter, vLLM, ...) is batched only when its catalog entry says `batch: true`,
    /// and so is an Azure OpenAI model: only a Global Batch deployment takes batches.
    public static func batchesByDefault(_ model: ModelEntry) -> Bool {
        model.provider == .openAI || model.provider == .anthropic || model.provider == .gemini
            || (model.provider == .openAICompatible && [.together, .groq].contains(model.preset))
    }

    /// Why `run --batch` leaves `model` to run as usual; nil when it batches it.
    public static func reasonNotBatched(_ model: ModelEntry) -> String? {
        if !supports(model.provider) {
            return "batch mode is not available for \(model.provider.rawValue) models yet (OpenAI-kind, Anthropic and Gemini models only)"
        }
        if !model.batch && model.provider == .azureOpenAI {
            return "an Azure OpenAI deployment takes batches only if it is a Global Batch one (set 'batch: true' and "
                + "its 'deployment' in the catalog if it is)"
        }
        if !model.batch && !batchesByDefault(model) {
            return "its host is not known to serve OpenAI's Batch API (set 'batch: true' on it in the catalog if it does)"
        }
        return nil
    }
}
