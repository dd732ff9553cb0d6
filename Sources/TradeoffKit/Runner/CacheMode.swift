/// How a run uses the response cache: answers recorded in the results database, keyed by the
/// canonical request (`RequestKey`), replayed for the same request in a later run.
public enum CacheMode: String, Sendable, Hashable, CaseIterable {
    /// Replay recorded answers and record new ones for later (the default on a laptop).
    case on
    /// Replay recorded answers; record new ones without a key, so they are never replayed.
    case read
    /// Make every call, and record it for later runs (the default in CI and with `--nightly`).
    case write
    /// Make every call, and record none for later.
    case off

    /// Whether answers are replayed.
    public var reads: Bool { self == .on || self == .read }
    /// Whether new answers can be replayed later.
    public var writes: Bool { self == .on || self == .write }
}

extension CacheMode {
    /// The mode when no flag names one: `write` in CI (`CI` set to anything but empty, `false`
    /// or `0`) and for nightly jobs, so their answers are fresh yet reusable on a laptop; `on`
    /// otherwise.
    public static func `default`(environment: [String: String], nightly: Bool) -> CacheMode {
        let ci = environment["CI"].map { !$0.isEmpty && $0 != "false" && $0 != "0" } ?? false
        return ci || nightly ? .write : .on
    }
}
