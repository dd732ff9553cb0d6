import Testing
import TradeoffKit

struct StopRequestsTests {
    /// Whatever the signals, the first finishes the calls in flight, the second abandons them and
    /// the third quits; only SIGTERM and SIGHUP, which nobody follows up by hand, set a grace period.
    @Test(arguments: [
        ([StopRequests.Signal.interrupt], "finish", nil as Int?),
        ([.terminate], "finish", 8),
        ([.hangUp], "finish", 8),
        ([.terminate, .interrupt], "abandon", nil),
        ([.interrupt, .terminate, .hangUp], "quit 129", nil),
        ([.interrupt, .interrupt, .interrupt], "quit 130", nil),
        ([.terminate, .terminate, .terminate], "quit 143", nil),
    ])
    func signalsEscalate(signals: [StopRequests.Signal], last: String, grace: Int?) {
        var requests = StopRequests()
        var action = StopRequests.Action.none
        for signal in signals { action = requests.received(signal) }
        switch action {
        case .finishInFlight(_, let seconds):
            #expect(last == "finish")
            #expect(seconds == grace)
        case .abandon: #expect(last == "abandon")
        case .quit(let status): #expect(last == "quit \(status)")
        case .none: Issue.record("no action")
        }
    }

    /// The end of the grace period abandons the calls in flight once, and not after a second
    /// signal has.
    @Test func theGracePeriodAbandonsOnce() {
        var requests = StopRequests()
        _ = requests.received(.terminate)
        #expect(requests.graceExpired() == .abandon(message: "the calls still in flight after 8s are abandoned: they are "
                                                    + "not recorded, and a resume makes them"))
        #expect(requests.graceExpired() == .none)
        var abandoned = StopRequests()
        _ = abandoned.received(.terminate)
        _ = abandoned.received(.terminate)
        #expect(abandoned.graceExpired() == .none)
        // The next signal still quits.
        #expect(abandoned.received(.terminate) == .quit(status: 143))
    }
}
