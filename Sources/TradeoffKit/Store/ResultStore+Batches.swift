import Foundation
import GRDB

/// The provider batches of a run (`batches`): recorded before they are sent, updated as they go.
extension ResultStore {
    /// Records the intent to send a batch, before anything is sent.
    ///
    /// - Returns: the row, with its id.
    func recordBatchIntent(_ batch: BatchRecord) throws -> BatchRecord {
        try write { db in
            var batch = batch
            try batch.insert(db)
            return batch
        }
    }

    /// Sets what the provider said of batch row `id`: its input file, its batch id, its status.
    func updateBatch(_ id: Int64, inputFileID: String? = nil, providerBatchID: String? = nil, status: String,
                     at date: Date = Date()) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE batches SET input_file_id = COALESCE(?, input_file_id),
                  provider_batch_id = COALESCE(?, provider_batch_id), status = ?, updated_at = ?
                WHERE id = ?
                """, arguments: [inputFileID, providerBatchID, status, date, id])
        }
    }

    /// The batches of model `modelID` in run `runID`, oldest first.
    public func batches(ofRun runID: Int64, model modelID: String? = nil) throws -> [BatchRecord] {
        try read { db in
            var request = BatchRecord.filter(Column("run_id") == runID)
            if let modelID { request = request.filter(Column("model_id") == modelID) }
            return try request.order(Column("id")).fetchAll(db)
        }
    }

    /// How many of run `runID`'s calls went through a batch, how many of them were sent in more
    /// than one batch (their requests expired or errored first), and how many were made as
    /// ordinary calls after their request expired or failed in a batch (`--batch-fallback`).
    public func batchedCalls(ofRun runID: Int64) throws -> (batched: Int, retried: Int, fellBack: Int) {
        try read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COALESCE(SUM(batched), 0), COALESCE(SUM(batched AND attempts > 1), 0), COALESCE(SUM(batch_fallback), 0)
                FROM calls WHERE run_id = ?
                """, arguments: [runID])
            return (row?[0] ?? 0, row?[1] ?? 0, row?[2] ?? 0)
        }
    }
}
