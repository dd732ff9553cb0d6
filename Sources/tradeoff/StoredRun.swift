import ArgumentParser
import Foundation
import TradeoffKit

/// A stored run named on the command line: `7` (in the default database), `results/x.sqlite`
/// (its latest run) or `results/x.sqlite:7`.
struct StoredRun {
    var store: ResultStore
    var runID: Int64
    /// Where the run is: the file, or the shared history's URL (without the password).
    var database: String
    /// The temporary copy of a run of the shared history, kept as long as the run is read.
    var snapshot: PostgresSnapshot?

    /// How the run reads in messages: `run 7 of results/x.sqlite`.
    var label: String { "run \(runID) of \(database)" }

    /// Finds the run `text` names; prints why and throws `ExitCode.badInput` when it cannot.
    ///
    /// A PostgreSQL URL names its last run of `suite` (when given), or the run of its `#ID`; a run
    /// id with a URL as `defaultDatabase` is the server's.
    static func locate(_ text: String, defaultDatabase: String?, role: String, suite: String? = nil) throws -> StoredRun {
        if let url = PostgresURL(text) { return try pulled(url, runID: url.runID, suite: suite, role: role) }
        if let id = Int64(text), let defaultDatabase, let url = PostgresURL(defaultDatabase) {
            return try pulled(url, runID: id, suite: nil, role: role)
        }
        var path = text
        var selected: String?
        if Int64(text) != nil {
            guard let defaultDatabase else {
                printError("error: \(role) '\(text)' is a run id; name its database too (--db DATABASE, or DATABASE:\(text))")
                throw ExitCode.badInput
            }
            (path, selected) = (defaultDatabase, text)
        } else if !FileManager.default.fileExists(atPath: text), let colon = text.lastIndex(of: ":") {
            (path, selected) = (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            printError("error: \(role): no results database at '\(path)'")
            throw ExitCode.badInput
        }
        try refuseFolder(path, isDirectory: isDirectory.boolValue, role: role)
        let store: ResultStore
        do { store = try ResultStore(path: path) } catch {
            printError("error: \(error)")
            throw ExitCode.badInput
        }
        guard let runID = try selectRun(selected ?? "latest", in: store, role: role).id else { throw ExitCode.badInput }
        return StoredRun(store: store, runID: runID, database: path)
    }

    /// Run `runID` (or the last of `suite`, or the last) of the shared history, pulled into SQLite.
    private static func pulled(_ url: PostgresURL, runID: Int64?, suite: String?, role: String) throws -> StoredRun {
        let history = try openSharedHistory(url)
        var chosen = runID
        if chosen == nil, let suite {
            chosen = try history.latestRunID(suite: suite)
            if chosen == nil {
                printError("error: \(role): no run of suite '\(suite)' in \(url); push one with `tradeoff push`")
                throw ExitCode.badInput
            }
        }
        guard let id = try sharedRun(chosen, in: history, role: role) else { throw ExitCode.badInput }
        let snapshot = try history.snapshot(runs: [id])
        return StoredRun(store: snapshot.store, runID: id, database: url.description, snapshot: snapshot)
    }
}
