import Dispatch
import Synchronization

/// Ctrl-C twice while a batch run waits cancels the provider's batches: the first Ctrl-C leaves
/// them to a resume and ends the run; a second one, before the run ends or within
/// `windowSeconds` after, asks the providers to cancel them. A second signal after SIGTERM or
/// SIGHUP (or their grace period ending) does not: something is stopping the machine, and the
/// batches are better left to go on.
final class BatchInterrupt: Sendable {
    /// How long after the run ends a second Ctrl-C still cancels the batches.
    static let windowSeconds = 5

    private let state = Mutex<(ctrlC: Bool, again: Bool)>((false, false))
    private let again = DispatchSemaphore(value: 0)

    /// The first stop request: `byCtrlC` when it was Ctrl-C (no grace period).
    func first(byCtrlC: Bool) {
        state.withLock { $0.ctrlC = byCtrlC }
    }

    /// The second stop request.
    func second() {
        let counts = state.withLock { state in
            guard state.ctrlC && !state.again else { return false }
            state.again = true
            return true
        }
        if counts { again.signal() }
    }

    /// Whether the run was stopped by Ctrl-C.
    var byCtrlC: Bool { state.withLock { $0.ctrlC } }

    /// Whether Ctrl-C came twice already.
    var twice: Bool { state.withLock { $0.ctrlC && $0.again } }

    /// Whether Ctrl-C came twice, waiting up to `windowSeconds` for the second.
    func cameTwice() -> Bool {
        guard byCtrlC else { return false }
        if state.withLock({ $0.again }) { return true }
        return again.wait(timeout: .now() + .seconds(Self.windowSeconds)) == .success
    }
}
