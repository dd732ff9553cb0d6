/// What the signals asking a run to stop do, in order: Ctrl-C (SIGINT), SIGTERM (docker stop,
/// Kubernetes, a cancelled CI job) and SIGHUP (a closed terminal) are one sequence.
///
/// The first stops starting calls and lets the ones in flight finish; the second abandons them (a
/// resume makes them); the third quits at once. SIGTERM and SIGHUP come from something that will
/// not wait for long (docker kills after 10 s): after them the calls in flight have
/// `gracePeriodSeconds`, then they are abandoned as by a second signal.
public struct StopRequests: Sendable, Hashable {
    /// A signal that asks the run to stop.
    public enum Signal: Int32, Sendable, Hashable, CaseIterable {
        case interrupt = 2  // SIGINT
        case hangUp = 1  // SIGHUP
        case terminate = 15  // SIGTERM

        /// How a person knows it.
        var name: String {
            switch self {
            case .interrupt: "Ctrl-C"
            case .hangUp: "SIGHUP"
            case .terminate: "SIGTERM"
            }
        }
    }

    /// What the run does now.
    public enum Action: Sendable, Hashable {
        /// Stop starting calls and let the ones in flight finish; after `graceSeconds`, if set,
        /// abandon them (report `graceExpired()`).
        case finishInFlight(message: String, graceSeconds: Int?)
        /// Abandon the calls in flight and record the run as interrupted.
        case abandon(message: String)
        /// Exit at once with `status` (128 + the signal, as a shell reports it).
        case quit(status: Int32)
        /// Nothing (the grace period ended after the run had already been abandoned).
        case none
    }

    /// How long the calls in flight may take to finish after SIGTERM or SIGHUP.
    public static let gracePeriodSeconds = 8

    private var received = 0

    /// No signal received yet.
    public init() {}

    /// The action for `signal`, counting the ones received before it.
    public mutating func received(_ signal: Signal) -> Action {
        received += 1
        switch received {
        case 1:
            if signal == .interrupt {
                return .finishInFlight(message: "\ninterrupted: finishing the calls in flight (Ctrl-C again to abandon them)",
                                       graceSeconds: nil)
            }
            return .finishInFlight(message: "\n\(signal.name) received: finishing the calls in flight for up to "
                                   + "\(Self.gracePeriodSeconds)s, then abandoning them (a second signal abandons them now)",
                                   graceSeconds: Self.gracePeriodSeconds)
        case 2:
            return .abandon(message: "abandoning the calls in flight: they are not recorded, and a resume makes them "
                            + "(\(signal.name) again to quit at once)")
        default:
            return .quit(status: 128 + signal.rawValue)
        }
    }

    /// The grace period after SIGTERM or SIGHUP is over: the calls still in flight are abandoned,
    /// unless a second signal already did.
    public mutating func graceExpired() -> Action {
        guard received == 1 else { return .none }
        received = 2
        return .abandon(message: "the calls still in flight after \(Self.gracePeriodSeconds)s are abandoned: they are not "
                        + "recorded, and a resume makes them")
    }
}
