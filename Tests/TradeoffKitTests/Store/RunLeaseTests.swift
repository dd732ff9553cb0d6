import Foundation
import Testing
import TradeoffKit

struct RunLeaseTests {
    static let now = Date(timeIntervalSince1970: 1_000_000)

    /// Who may take a run over from its owner.
    @Test(arguments: [
        // The owner itself (a resume after a session of the same process).
        (RunLease(host: "here", pid: 10), 1.0, true, true),
        // A live process of this host with a fresh heartbeat: no.
        (RunLease(host: "here", pid: 11), 1.0, true, false),
        // ...unless its heartbeat is stale (hung, stopped with Ctrl-Z, or its pid reused since).
        (RunLease(host: "here", pid: 11), 31.0, true, true),
        // A dead process of this host: at once.
        (RunLease(host: "here", pid: 11), 1.0, false, true),
        // Another host's process cannot be checked: only once its heartbeat is stale.
        (RunLease(host: "there", pid: 10), 29.0, false, false),
        (RunLease(host: "there", pid: 10), 31.0, false, true),
    ])
    func takingOver(owner: RunLease, secondsSinceHeartbeat: Double, ownerExists: Bool, free: Bool) {
        let taker = RunLease(host: "here", pid: 10)
        let heartbeat = Self.now.addingTimeInterval(-secondsSinceHeartbeat)
        #expect(owner.isFree(for: taker, heartbeat: heartbeat, now: Self.now, exists: { _ in ownerExists }) == free)
    }
}
