/// The calls a summary was folded from, read again where a report needs some of them whole (the
/// disagreements, the cases a page shows) or all of them in order (the calls file).
///
/// A position is a call's place in the order the calls were folded. An array of calls is its own
/// source; `StoredCalls` reads them back from the database, so a big run is never held in memory.
public protocol CallSource: Sendable {
    /// What reading a call can throw (`Never` for calls in memory).
    associatedtype Failure: Error

    /// The calls at `positions`, in the same order.
    func calls(at positions: [Int]) throws(Failure) -> [ReportCall]

    /// The calls at `positions`, in that order, handed to `body` one at a time, with at least what
    /// the calls file writes of each (`CSVReport.callColumns`).
    func forEach(at positions: [Int], _ body: (ReportCall) throws -> Void) throws
}

extension Array: CallSource where Element == ReportCall {
    public typealias Failure = Never

    public func calls(at positions: [Int]) -> [ReportCall] { positions.map { self[$0] } }

    public func forEach(at positions: [Int], _ body: (ReportCall) throws -> Void) rethrows {
        for position in positions { try body(self[position]) }
    }
}
