extension FakeProviderConfig {
    /// Faults to inject, each as the fraction (0...1) of requests it hits.
    ///
    /// The failing kinds (everything but ``slowFirstByte``) exclude one another: one draw per
    /// request picks at most one, so their fractions must add up to at most 1. A slow first byte
    /// is drawn separately and can come with any of them. Faults hit only requests that passed
    /// authentication, validation and model lookup.
    ///
    /// Each draw follows from a hash of the model, the exact request body and how many times that
    /// body was sent before, so a run is reproducible and an identical retry can still succeed.
    public struct Faults: Sendable, Hashable {
        /// 429 with `retry-after` (seconds) and `retry-after-ms` headers (Gemini: `RetryInfo` in the body).
        public var rateLimit: Double
        /// The wait a 429 asks for, in milliseconds.
        public var retryAfterMs: Int
        /// 500 or 503, alternating by hash.
        public var serverError: Double
        /// 529 `overloaded_error` in the Anthropic format; 503 in the others.
        public var overloaded: Double
        /// 200 whose body (or one stream event) is JSON cut in the middle.
        public var malformed: Double
        /// A stream closed after some events without its final ones; a plain response closed mid-body.
        public var cutStream: Double
        /// A stream that carries an error event after some events, then ends. Plain responses are
        /// not affected.
        public var midStreamError: Double
        /// The fraction of requests whose response is held back ``slowFirstByteMs`` longer.
        public var slowFirstByte: Double
        /// Extra milliseconds before the first byte of a slow response.
        public var slowFirstByteMs: Int
        /// The connection is reset (TCP RST) without any response.
        public var reset: Double
        /// The request is read and never answered, until the client gives up or the server stops.
        public var hang: Double

        /// No faults.
        public static let none = Faults()

        /// Creates a fault mix; every fraction defaults to 0.
        /// - Parameters:
        ///   - rateLimit: Fraction answered 429.
        ///   - retryAfterMs: The wait a 429 asks for. Default 1000.
        ///   - serverError: Fraction answered 500 or 503.
        ///   - overloaded: Fraction answered 529 (Anthropic) or 503.
        ///   - malformed: Fraction answered with invalid JSON.
        ///   - cutStream: Fraction cut off before the end.
        ///   - midStreamError: Fraction of streams ending in an error event.
        ///   - slowFirstByte: Fraction delayed by `slowFirstByteMs`.
        ///   - slowFirstByteMs: The extra delay. Default 0.
        ///   - reset: Fraction reset without a response.
        ///   - hang: Fraction never answered.
        public init(rateLimit: Double = 0, retryAfterMs: Int = 1000, serverError: Double = 0, overloaded: Double = 0,
                    malformed: Double = 0, cutStream: Double = 0, midStreamError: Double = 0,
                    slowFirstByte: Double = 0, slowFirstByteMs: Int = 0, reset: Double = 0, hang: Double = 0) {
            self.rateLimit = rateLimit
            self.retryAfterMs = retryAfterMs
            self.serverError = serverError
            self.overloaded = overloaded
            self.malformed = malformed
            self.cutStream = cutStream
            self.midStreamError = midStreamError
            self.slowFirstByte = slowFirstByte
            self.slowFirstByteMs = slowFirstByteMs
            self.reset = reset
            self.hang = hang
        }

        /// A kind of fault, named as in the config and in the fault counts.
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            /// A 429 (``Faults/rateLimit``).
            case rateLimit = "rate_limit"
            /// A 500 or 503 (``Faults/serverError``).
            case serverError = "server_error"
            /// A 529 or 503 (``Faults/overloaded``).
            case overloaded
            /// Cut JSON in a 200 (``Faults/malformed``).
            case malformed
            /// A response closed before its end (``Faults/cutStream``).
            case cutStream = "cut_stream"
            /// An error event in a started stream (``Faults/midStreamError``).
            case midStreamError = "mid_stream_error"
            /// A delayed first byte (``Faults/slowFirstByte``); the answer itself is good.
            case slowFirstByte = "slow_first_byte"
            /// A reset connection (``Faults/reset``).
            case reset
            /// A request never answered (``Faults/hang``).
            case hang
        }

        /// The failing kinds with their fractions, in the order a draw walks them.
        var failing: [(kind: Kind, fraction: Double)] {
            [(.reset, reset), (.hang, hang), (.rateLimit, rateLimit), (.overloaded, overloaded),
             (.serverError, serverError), (.malformed, malformed), (.cutStream, cutStream),
             (.midStreamError, midStreamError)]
        }
    }
}
