/// The results database holds no run with the id asked for.
public struct UnknownRunError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database file.
    public var path: String
    /// The id asked for.
    public var runID: Int64

    /// No run `runID` in the database at `path`.
    public init(path: String, runID: Int64) {
        self.path = path
        self.runID = runID
    }

    /// `results/x.sqlite: no run 7`.
    public var description: String { "\(path): no run \(runID)" }
}
