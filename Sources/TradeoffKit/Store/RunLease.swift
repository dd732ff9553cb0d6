import Foundation

/// The process that owns a run while it makes calls: only the owner records calls in it, so two
/// processes resuming one run cannot both pay for the same calls.
///
/// The owner writes a heartbeat every `heartbeatSeconds`. Another process may take the run over
/// when the run has no owner, when its owner is a process of this host that no longer exists
/// (killed with `kill -9`: seen at once), or when the heartbeat is older than `staleSeconds` (an
/// owner on another host that shares the database, or a host that died).
public struct RunLease: Sendable, Hashable {
    /// How often the owner of a run says it is alive.
    public static let heartbeatSeconds = 5
    /// How long without a heartbeat before a run whose owner cannot be checked may be taken over.
    public static let staleSeconds = 30

    /// The host name of the owning process.
    public var host: String
    /// The id of the owning process on its host.
    public var pid: Int32

    /// The process `pid` of host `host`.
    public init(host: String, pid: Int32) {
        self.host = host
        self.pid = pid
    }

    /// This process.
    public static var current: RunLease {
        RunLease(host: hostName, pid: ProcessInfo.processInfo.processIdentifier)
    }

    /// The host's name as `gethostname` says it: `ProcessInfo.hostName` resolves it through DNS,
    /// which can stall for seconds on a host without a network.
    private static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// Whether the process `pid` of this host exists (a process of another user counts).
    public static func processExists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// Whether `taker` may take over a run this lease holds, last renewed at `heartbeat`.
    ///
    /// - Parameter exists: whether a process of `taker`'s host exists, by id.
    public func isFree(for taker: RunLease, heartbeat: Date?, now: Date, exists: (Int32) -> Bool = processExists) -> Bool {
        if self == taker { return true }
        if host == taker.host && !exists(pid) { return true }
        guard let heartbeat else { return true }
        return now.timeIntervalSince(heartbeat) > Double(Self.staleSeconds)
    }
}

/// Another process owns the run; its description is the message for the user.
public struct RunBusyError: Error, CustomStringConvertible, Sendable {
    /// Who owns the run, and when it may be resumed.
    public let description: String

    init(runID: Int64, owner: RunLease, secondsSinceHeartbeat: Int, taker: RunLease) {
        let process = owner.host == taker.host ? "process \(owner.pid)" : "process \(owner.pid) on \(owner.host)"
        description = "run \(runID) is being made by another tradeoff (\(process), alive \(secondsSinceHeartbeat)s ago); "
            + "nothing was started, so no call is made twice. Wait for it to end, or stop it and resume then; if it "
            + "died without ending the run, it can be resumed once \(RunLease.staleSeconds)s have passed without "
            + "its heartbeat"
    }
}
