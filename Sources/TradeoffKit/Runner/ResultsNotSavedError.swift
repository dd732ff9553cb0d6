/// A run stopped because its results could not be written (a full disk, a file over its size
/// limit): the calls recorded before stay, the run is marked interrupted if that could still be
/// written, and a resume makes the rest.
public struct ResultsNotSavedError: Error, CustomStringConvertible, Sendable {
    /// The run to resume.
    public let runID: Int64
    /// What the database said.
    public let underlying: StoreError

    /// The database's error, with the file.
    public var description: String { underlying.description }
}
