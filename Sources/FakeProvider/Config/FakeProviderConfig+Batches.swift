extension FakeProviderConfig {
    /// How the batch endpoints behave (OpenAI's `/v1/files` and `/v1/batches`, Anthropic's
    /// `/v1/messages/batches`), and the faults they inject, counted over the server's life.
    public struct Batches: Sendable, Hashable {
        /// Batches stay `in_progress` until ``FakeProviderServer/releaseBatches()``: a test can
        /// stop or kill a client while its batches are pending.
        public var held: Bool
        /// The first this-many requests of the batches are not run: the batch ends `expired`,
        /// and they are in its error file as `batch_expired`.
        public var expireRequests: Int
        /// The first this-many requests (after the expired ones) are answered with a 500, in the
        /// error file.
        public var errorRequests: Int
        /// The first this-many `POST /v1/batches` create the batch, then answer 502, as a gateway
        /// that lost the answer: the client cannot know the batch exists unless it lists them.
        /// (Not a reset: libcurl sends a request again by itself when a reused connection resets.)
        public var loseCreateReplies: Int
        /// Milliseconds `POST /v1/batches` waits after making the batch before answering: a test
        /// can kill a client between the provider's making a batch and the client's hearing of it.
        public var createReplyDelayMs: Int

        /// Creates the behavior.
        /// - Parameters:
        ///   - held: Keep batches in progress until released. Default false.
        ///   - expireRequests: Requests expired. Default 0.
        ///   - errorRequests: Requests answered with a 500. Default 0.
        ///   - loseCreateReplies: Batch creations whose reply is lost. Default 0.
        ///   - createReplyDelayMs: The wait before a creation is answered. Default 0.
        public init(held: Bool = false, expireRequests: Int = 0, errorRequests: Int = 0, loseCreateReplies: Int = 0,
                    createReplyDelayMs: Int = 0) {
            self.createReplyDelayMs = createReplyDelayMs
            self.held = held
            self.expireRequests = expireRequests
            self.errorRequests = errorRequests
            self.loseCreateReplies = loseCreateReplies
        }
    }
}
