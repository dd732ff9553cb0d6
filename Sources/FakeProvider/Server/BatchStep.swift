/// A step of a batch's life at the server, where a test can withhold the replies
/// (``FakeProviderServer/withholdReplies(at:acting:)``) to kill a client at that very moment.
public enum BatchStep: String, Sendable, CaseIterable {
    /// The upload of a batch's input file (`POST /v1/files`, OpenAI's API).
    case upload
    /// The creation of a batch (`POST /v1/batches`, `POST /v1/messages/batches`, `:batchGenerateContent`).
    case create
    /// A listing of the batches (`GET /v1/batches`, `GET /v1/messages/batches`, `GET /v1beta/batches`).
    case list
    /// A look at one batch that is not over (`GET .../batches/{id}`).
    case status
    /// The reading of a batch's results: its output or error file, its results JSONL, or (Gemini)
    /// a look at a batch that is over, whose answers are inlined.
    case results
}
