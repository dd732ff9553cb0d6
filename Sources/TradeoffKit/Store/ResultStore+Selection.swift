/// Runs named on a command line.
extension ResultStore {
    /// The run `selector` names: `latest`, or a run id.
    ///
    /// - Throws: `RunSelectionError` when the database holds no runs or no run `selector`,
    ///   listing the runs it has.
    public func run(selectedBy selector: String) throws -> RunRecord {
        // One run is read, not all of them: decoding 2,000 runs was half of a report's time.
        if selector == "latest" {
            guard let latest = try latestRun() else { throw RunSelectionError("'\(path)' holds no runs yet") }
            return latest
        }
        if let id = Int64(selector), let run = try run(id) { return run }
        let known = try read { db in try Int64.fetchAll(db, sql: "SELECT id FROM runs ORDER BY id") }
            .map(String.init).joined(separator: ", ")
        throw RunSelectionError("no run '\(selector)' in '\(path)'; runs: \(known.isEmpty ? "none" : known)")
    }
}

/// No run by the name given; its description is the message for the user.
public struct RunSelectionError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) { self.description = description }
}
