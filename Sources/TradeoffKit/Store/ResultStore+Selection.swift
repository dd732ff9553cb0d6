/// Runs named on a command line.
extension ResultStore {
    /// The run `selector` names: `latest`, or a run id.
    ///
    /// - Throws: `RunSelectionError` when the database holds no runs or no run `selector`,
    ///   listing the runs it has.
    public func run(selectedBy selector: String) throws -> RunRecord {
        let runs = try runs()
        if selector == "latest" {
            guard let latest = runs.first else { throw RunSelectionError("'\(path)' holds no runs yet") }
            return latest
        }
        guard let id = Int64(selector), let run = runs.first(where: { $0.id == id }) else {
            let known = runs.compactMap(\.id).reversed().map(String.init).joined(separator: ", ")
            throw RunSelectionError("no run '\(selector)' in '\(path)'; runs: \(known.isEmpty ? "none" : known)")
        }
        return run
    }
}

/// No run by the name given; its description is the message for the user.
public struct RunSelectionError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) { self.description = description }
}
