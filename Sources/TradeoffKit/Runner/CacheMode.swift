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
