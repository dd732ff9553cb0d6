import Foundation
import GRDB

extension ResultStore {
    /// Makes `lease` the owner of run `runID`, unless another live process owns it.
    ///
    /// Done in an immediate transaction, so of two processes taking one run, one waits for the
    /// other and then sees its lease.
    ///
    /// - Throws: `RunBusyError` when another process owns the run; `StoreError`.
    public func takeLease(ofRun runID: Int64, for lease: RunLease, now: Date = Date()) throws {
        var busy: RunBusyError?
        do {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let row = try Row.fetchOne(db, sql: "SELECT owner_host, owner_pid, heartbeat_at FROM runs WHERE id = ?",
                                               arguments: [runID])
                    if let row, let host: String = row["owner_host"], let pid: Int32 = row["owner_pid"] {
                        let owner = RunLease(host: host, pid: pid)
                        let heartbeat: Date? = row["heartbeat_at"]
                        if !owner.isFree(for: lease, heartbeat: heartbeat, now: now) {
                            let seconds = heartbeat.map { max(0, Int(now.timeIntervalSince($0))) } ?? 0
                            busy = RunBusyError(runID: runID, owner: owner, secondsSinceHeartbeat: seconds, taker: lease)
                            return .rollback
                        }
                    }
                    try db.execute(sql: "UPDATE runs SET owner_host = ?, owner_pid = ?, heartbeat_at = ? WHERE id = ?",
                                   arguments: [lease.host, lease.pid, now, runID])
                    return .commit
                }
            }
        } catch {
            throw StoreError(path: path, underlying: error)
        }
        if let busy { throw busy }
    }

    /// Renews `lease`'s heartbeat on run `runID`, if it still owns the run.
    public func renewLease(ofRun runID: Int64, for lease: RunLease, now: Date = Date()) throws {
        do {
            try pool.write { db in
                try db.execute(sql: "UPDATE runs SET heartbeat_at = ? WHERE id = ? AND owner_host = ? AND owner_pid = ?",
                               arguments: [now, runID, lease.host, lease.pid])
            }
        } catch {
            throw StoreError(path: path, underlying: error)
        }
    }

    /// Gives up `lease`'s ownership of run `runID`, if it still owns it.
    public func releaseLease(ofRun runID: Int64, for lease: RunLease) throws {
        do {
            try pool.write { db in
                try db.execute(sql: """
                    UPDATE runs SET owner_host = NULL, owner_pid = NULL, heartbeat_at = NULL
                    WHERE id = ? AND owner_host = ? AND owner_pid = ?
                    """, arguments: [runID, lease.host, lease.pid])
            }
        } catch {
            throw StoreError(path: path, underlying: error)
        }
    }
}
