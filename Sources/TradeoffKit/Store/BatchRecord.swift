import Foundation
import GRDB

/// A row of `batches`: calls of one model of a run sent together through its provider's batch
/// API, recorded before the provider hears of them (since v14).
///
/// Its life: `intent` (written with its custom ids before anything is sent) → `uploaded` (the
/// input file's id) → `submitted` (the provider's batch id) → the provider's statuses as they
/// are seen (`in_progress`, `completed`, `expired`, ...), or `abandoned` when a resume found that
/// the provider never got it.
public struct BatchRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "batches"

    public var id: Int64?
    public var runId: Int64
    public var modelId: String
    /// Unique, and in the provider batch's metadata: how a resume finds a batch whose id was
    /// never recorded (the process died between the provider's answer and the write).
    public var tag: String
    /// 1 for a call's first batch, 2 and up for batches that retry expired or errored requests.
    public var round: Int
    /// The calls it holds, as a JSON array of custom ids.
    public var customIds: String
    public var requestCount: Int
    public var inputFileId: String?
    public var providerBatchId: String?
    public var status: String
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, tag, round, status
        case runId = "run_id", modelId = "model_id", customIds = "custom_ids", requestCount = "request_count"
        case inputFileId = "input_file_id", providerBatchId = "provider_batch_id"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    /// An intent: the batch before anything is sent.
    init(runId: Int64, modelId: String, tag: String, round: Int, customIDs: [String], at date: Date = Date()) {
        self.runId = runId
        self.modelId = modelId
        self.tag = tag
        self.round = round
        customIds = String(decoding: (try? JSONEncoder().encode(customIDs)) ?? Data("[]".utf8), as: UTF8.self)
        requestCount = customIDs.count
        status = "intent"
        createdAt = date
        updatedAt = date
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The custom ids it holds.
    public var customIDs: [String] {
        (try? JSONDecoder().decode([String].self, from: Data(customIds.utf8))) ?? []
    }
}
