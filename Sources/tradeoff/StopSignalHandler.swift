import Dispatch
import Foundation
import Synchronization
import TradeoffKit

/// Takes SIGINT, SIGTERM and SIGHUP instead of dying, and hands what `StopRequests` makes of
/// each to `handler` on a Dispatch queue, with the end of a grace period when one starts.
final class StopSignalHandler {
    private let sources: [any DispatchSourceSignal]
    private let requests = Requests()

    init(_ handler: @escaping @Sendable (StopRequests.Action) -> Void) {
        let queue = DispatchQueue(label: "tradeoff.signals")
        let requests = self.requests
        sources = StopRequests.Signal.allCases.map { stop in
            signal(stop.rawValue, SIG_IGN)  // the dispatch source sees it instead of the default handler
            let source = DispatchSource.makeSignalSource(signal: stop.rawValue, queue: queue)
            source.setEventHandler {
                let action = requests.value.withLock { $0.received(stop) }
                if case .finishInFlight(_, let grace?) = action {
                    queue.asyncAfter(deadline: .now() + .seconds(grace)) {
                        // Not once the run is over: there is nothing in flight to abandon.
                        guard requests.active.withLock({ $0 }) else { return }
                        handler(requests.value.withLock { $0.graceExpired() })
                    }
                }
                handler(action)
            }
            source.resume()
            return source
        }
    }

    /// The run is over: a grace period still running has nothing to abandon.
    func runEnded() {
        requests.active.withLock { $0 = false }
    }

    func remove() {
        runEnded()
        for source in sources { source.cancel() }
        for stop in StopRequests.Signal.allCases { signal(stop.rawValue, SIG_DFL) }
    }
}

private final class Requests: Sendable {
    let value = Mutex(StopRequests())
    /// False once the run is over.
    let active = Mutex(true)
}
