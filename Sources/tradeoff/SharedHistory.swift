import ArgumentParser
import Foundation
import TradeoffKit

// How the commands name and open the shared history in PostgreSQL.

/// The PostgreSQL URL given by `value` or, without it, `TRADEOFF_DATABASE_URL`: bad input
/// (exit 2) when neither names one.
func sharedDatabaseURL(_ value: String?, flag: String) throws -> PostgresURL {
    let environment = ProcessInfo.processInfo.environment[PostgresURL.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    guard let text = value ?? environment else {
        printError("error: name the PostgreSQL database with \(flag) postgres://user@host/db or set "
                   + PostgresURL.environmentVariable)
        throw ExitCode.badInput
    }
    guard let url = PostgresURL(text) else {
        printError("error: \(flag) must be a PostgreSQL URL, like postgres://user@host:5432/db")
        throw ExitCode.badInput
    }
    return url
}

/// Connects to the shared history: a server that cannot be reached or refuses the
/// credentials is bad input (exit 2), said without the password.
func openSharedHistory(_ url: PostgresURL) throws -> PostgresHistory {
    do { return try PostgresHistory(url: url) } catch {
        printError("error: \(error)")
        throw ExitCode.badInput
    }
}

/// The database a reading command names: its argument, else `--db`, else
/// `TRADEOFF_DATABASE_URL`; bad input when none does.
func namedDatabase(_ argument: String?, db: String?) throws -> String {
    let environment = ProcessInfo.processInfo.environment[PostgresURL.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    guard let name = argument ?? db ?? environment else {
        printError("error: name the results database (a file, or --db postgres://user@host/db, or set "
                   + "\(PostgresURL.environmentVariable))")
        throw ExitCode.badInput
    }
    return name
}

/// Run `runID` of the shared history, or its last run when nil; prints why and returns nil when
/// there is no such run (bad input).
func sharedRun(_ runID: Int64?, in history: PostgresHistory, role: String) throws -> Int64? {
    if let runID {
        if try history.hasRun(runID) { return runID }
        printError("error: \(role): no run \(runID) in \(history.url)" + (try history.latestRunID().map { "; its last run is \($0)" } ?? ""))
        return nil
    }
    guard let latest = try history.latestRunID() else {
        printError("error: \(role): no runs in \(history.url) yet; push some with `tradeoff push RESULTS.sqlite --to URL`")
        return nil
    }
    return latest
}

/// A run a reading command opened: from a results file, or pulled from the shared history into a
/// temporary SQLite store (`snapshot`, which removes it when let go: keep it while `store` is used).
struct OpenedRun {
    var store: ResultStore
    var runID: Int64
    var snapshot: PostgresSnapshot?
}

/// Opens run `selected` ('latest' or an id) of `database`, a results file or a PostgreSQL URL; with
/// `withPrevious`, the run before it of its suite is pulled too (the default baseline). Bad input
/// (exit 2, said) when the database or the run is not there.
func openRun(_ database: String, selected: String, withPrevious: Bool = false) throws -> OpenedRun {
    guard let url = PostgresURL(database) else {
        let store = try openExistingStore(database, hint: "; run `tradeoff run SUITE --db \(database)` first")
        guard let runID = try selectRun(selected, in: store).id else { throw ExitCode.badInput }
        return OpenedRun(store: store, runID: runID, snapshot: nil)
    }
    guard selected == "latest" || Int64(selected) != nil else {
        printError("error: --run must be a run id or 'latest', got '\(selected)'")
        throw ExitCode.badInput
    }
    let history = try openSharedHistory(url)
    guard let runID = try sharedRun(selected == "latest" ? url.runID : Int64(selected), in: history, role: "--run")
    else { throw ExitCode.badInput }
    let previous = withPrevious ? try history.previousRunID(before: runID) : nil
    let pulled = try history.snapshot(runs: [runID] + [previous].compactMap { $0 })
    return OpenedRun(store: pulled.store, runID: runID, snapshot: pulled)
}
