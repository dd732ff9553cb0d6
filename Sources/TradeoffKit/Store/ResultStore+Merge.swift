import Foundation
import GRDB

extension ResultStore {
    /// What a merge combined.
    public struct MergeSummary: Sendable, Hashable {
        /// The new run holding everything.
        public var runID: Int64
        public var cases: Int
        public var calls: Int
    }

    /// Merges `sources` (see `merge(_:)`) into the database at `output`, creating it when
    /// missing — and then only when the merge succeeds: a new database is built under a
    /// temporary name beside `output` and renamed to it at the end, so a failed merge leaves no
    /// file (nor folder) behind. An existing `output` gets the merged run in one transaction.
    ///
    /// - Throws: `StoreError` naming the source that does not fit, or `output` when it cannot
    ///   be written.
    public static func merge(_ sources: [String], into output: String) throws -> MergeSummary {
        if FileManager.default.fileExists(atPath: output) { return try ResultStore(path: output).merge(sources) }
        if let problem = OutputPath.fileProblem(output, example: "merged.sqlite") {
            throw StoreError(path: output, message: problem)
        }
        let folder = OutputPath.folder(of: output)
        let createdFolder = firstMissingFolder(of: folder)
        let name = output.split(separator: "/").last.map(String.init) ?? output
        let temporary = (folder.isEmpty ? "" : folder.hasSuffix("/") ? folder : folder + "/")
            + ".\(name).\(UUID().uuidString).merging"
        let leftovers = [temporary, temporary + "-wal", temporary + "-shm"]
        do {
            let store = try ResultStore(path: temporary)
            let summary = try store.merge(sources)
            try store.close()
            guard rename(temporary, output) == 0 else {
                throw StoreError(path: output, message: "cannot create the file: \(String(cString: strerror(errno)))")
            }
            for file in leftovers.dropFirst() { try? FileManager.default.removeItem(atPath: file) }
            return summary
        } catch {
            for file in leftovers { try? FileManager.default.removeItem(atPath: file) }
            if let createdFolder { try? FileManager.default.removeItem(atPath: createdFolder) }
            throw error
        }
    }

    /// The outermost folder of `folder` that does not exist yet (what creating it would add), if any.
    private static func firstMissingFolder(of folder: String) -> String? {
        var missing: String?
        var current = folder
        while !current.isEmpty, current != "/", !FileManager.default.fileExists(atPath: current) {
            missing = current
            current = OutputPath.folder(of: current)
        }
        return missing
    }

    /// Combines the latest run of each database in `sources` — typically the shards of one
    /// suite run with `--shard i/n` — into one new run in this database, which then reports
    /// exactly like an unsharded run.
    ///
    /// The runs must be of the same suite (same name and content hash) on the same models, and
    /// no case may appear in two of them. Sources are opened (and migrated) but not changed
    /// otherwise. Everything is copied in one transaction: on any error nothing is written.
    /// Models priced by the hour without a stated throughput are costed again at the throughput
    /// measured over every shard's answers (shards served at once count as more calls in flight).
    ///
    /// - Throws: `StoreError` naming the source that does not fit.
    public func merge(_ sources: [String]) throws -> MergeSummary {
        struct Source {
            var path: String
            var run: RunRecord
            var models: [String]
        }
        var inputs: [Source] = []
        for path in sources {
            guard FileManager.default.fileExists(atPath: path) else {
                throw StoreError(path: path, message: "no such database")
            }
            let store = try ResultStore(path: path)
            guard let run = try store.latestRun() else { throw StoreError(path: path, message: "holds no runs") }
            let models = try store.models(ofRun: run.id!).map(\.modelId).sorted()
            if let first = inputs.first {
                guard run.suite == first.run.suite, run.suiteHash == first.run.suiteHash else {
                    throw StoreError(path: path, message: "its latest run is of suite '\(run.suite)' (hash \(run.suiteHash.prefix(12))), "
                                     + "but \(first.path) ran '\(first.run.suite)' (hash \(first.run.suiteHash.prefix(12))): "
                                     + "only shards of the same suite file can be merged")
                }
                // One report from runs made with different settings would be some shard's, silently.
                if let context = run.context, let firstContext = first.run.context,
                   context.reportSettings != firstContext.reportSettings {
                    throw StoreError(path: path, message: "its latest run was made with \(context.reportSettings), but "
                                     + "\(first.path)'s with \(firstContext.reportSettings): shards must be run with the same "
                                     + "--reference, --margin, --gate and --volume")
                }
                guard models == first.models else {
                    throw StoreError(path: path, message: "ran models \(models.joined(separator: ", ")), but \(first.path) ran "
                                     + "\(first.models.joined(separator: ", ")): shards must run the same models")
                }
            }
            try store.close()
            inputs.append(Source(path: path, run: run, models: models))
        }
        guard let first = inputs.first else { throw StoreError(path: self.path, message: "nothing to merge") }

        let statuses = inputs.map(\.run.status)
        let status: RunStatus = statuses.contains(.interrupted) ? .interrupted
            : statuses.allSatisfy { $0 == .completed } ? .completed : .incomplete
        let finished = inputs.map(\.run.finishedAt)
        var merged = RunRecord(suite: first.run.suite, suitePath: first.run.suitePath, suiteHash: first.run.suiteHash,
                               catalogPath: first.run.catalogPath, toolVersion: ToolVersion.current,
                               startedAt: inputs.map(\.run.startedAt).min()!,
                               finishedAt: finished.contains(nil) ? nil : finished.compactMap { $0 }.max(), status: status)
        // The shards ran one suite with the same flags: the first's context is the run's.
        merged.context = first.run.context

        return try pool.writeWithoutTransaction { db in
            try merged.insert(db)
            let runID = merged.id!
            do {
                // SQLite cannot ATTACH inside a transaction: each source is copied in its own,
                // and the merged run is deleted (with everything under it) if any fails.
                for (offset, input) in inputs.enumerated() {
                    try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [input.path])
                    defer { try? db.execute(sql: "DETACH DATABASE source") }
                    try db.inTransaction {
                        let tables = offset == 0 ? ["run_models", "cases", "calls"] : ["cases", "calls"]
                        for table in tables {
                            let columns = try db.columns(in: table).map(\.name).filter { $0 != "id" && $0 != "run_id" }
                            let list = columns.joined(separator: ", ")
                            do {
                                try db.execute(sql: "INSERT INTO main.\(table) (run_id, \(list)) SELECT ?, \(list) FROM source.\(table) WHERE run_id = ?",
                                               arguments: [runID, input.run.id!])
                            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                                throw StoreError(path: input.path, message: "some of its cases are also in an earlier database: "
                                                 + "were these runs made with different --shard slices of one suite? (\(error.message ?? ""))")
                            }
                        }
                        try ResultStore.copyJudgeCalls(db, from: "source", run: input.run.id!, to: runID)
                        return .commit
                    }
                }
                // A throughput measured in one shard is not the whole run's: measure it again over
                // every shard's answers, so the costs and what the report says they assume agree.
                try db.inTransaction {
                    _ = try ResultStore.applyHourlyPricing(db, runID: runID)
                    return .commit
                }
            } catch {
                try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [runID])
                throw error
            }
            let cases = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases WHERE run_id = ?", arguments: [runID]) ?? 0
            let calls = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE run_id = ?", arguments: [runID]) ?? 0
            return MergeSummary(runID: runID, cases: cases, calls: calls)
        }
    }
}

extension StoreError {
    init(path: String, message: String) {
        self.init(path: path, underlying: MessageError(message: message))
    }

    private struct MessageError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
