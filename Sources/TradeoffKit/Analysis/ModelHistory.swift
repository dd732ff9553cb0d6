import Foundation

/// One model's results across the runs of a database, oldest first: the nightly trend.
public struct ModelHistory: Sendable {
    /// The model.
    public var modelID: String
    /// One entry per run the model was in, oldest first.
    public var entries: [Entry]

    /// The model in one run.
    public struct Entry: Sendable, Hashable {
        /// The run.
        public var runID: Int64
        /// When it started.
        public var startedAt: Date
        /// How it ended.
        public var status: RunStatus
        /// The suite's content hash, to see when the suite changed.
        public var suiteHash: String
        /// The model's summary in that run.
        public var summary: ModelSummary
    }

    /// Reads model `modelID`'s results in every run of `store` that has it.
    ///
    /// - Throws: `StoreError` when reading fails.
    public static func load(from store: ResultStore, modelID: String,
                            settings: AnalysisSettings = AnalysisSettings()) throws -> ModelHistory {
        var entries: [Entry] = []
        for run in try store.runs(withModel: modelID) {
            guard let runID = run.id else { continue }
            let models = try store.models(ofRun: runID).filter { $0.modelId == modelID }
            let summary = RunSummary(run: run, models: models, cases: try store.cases(ofRun: runID),
                                     calls: try store.calls(ofRun: runID, model: modelID), settings: settings)
            guard let model = summary.models.first else { continue }
            entries.append(Entry(runID: runID, startedAt: run.startedAt, status: run.status, suiteHash: run.suiteHash,
                                 summary: model))
        }
        return ModelHistory(modelID: modelID, entries: entries)
    }
}
