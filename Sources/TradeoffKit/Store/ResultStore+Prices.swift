import Foundation
import GRDB

extension ResultStore {
    /// Costs the calls of the run's hourly-priced models at their production throughput (see
    /// `HourlyPricing` for the formula): the one each price states, else the one measured over
    /// the run's answered calls, which is recorded with the model (`price_throughput`). Call it
    /// once the run's calls are all written; calling it again gives the same costs.
    ///
    /// Answers replayed from the response cache keep the cost they had when they were made, and
    /// are not part of the measured throughput (they took no serving time).
    ///
    /// - Parameter runID: The run.
    /// - Returns: The micro-dollars assigned, over all hourly-priced models (0 when there are none).
    /// - Throws: `StoreError` when reading or writing fails.
    @discardableResult
    public func applyHourlyPricing(runID: Int64) throws -> Int64 {
        try writeTransaction { db in try Self.applyHourlyPricing(db, runID: runID) }
    }

    /// `applyHourlyPricing(runID:)` in a transaction already open on `db`.
    static func applyHourlyPricing(_ db: Database, runID: Int64) throws -> Int64 {
        let models = try RunModelRecord.filter(Column("run_id") == runID).fetchAll(db)
        var total: Int64 = 0
        for var model in models {
            guard case .hourly(let price) = model.pricing else { continue }
            let calls = try CallRecord.filter(Column("run_id") == runID && Column("model_id") == model.modelId
                                              && Column("cached_from") == nil)
                .order(Column("id")).fetchAll(db)
            let basis = HourlyPricing.basis(for: price, calls: calls.map(\.hourlyCall))
            if basis?.source != .stated {
                model.setHourlyBasis(basis)
                try model.update(db)
            }
            for call in calls {
                // With nothing to measure (no call answered), the cost is unknown, not $0.
                let cost = basis.flatMap { HourlyPricing.costMicros(of: call.hourlyCall, price, at: $0.throughput) }
                try db.execute(sql: """
                    UPDATE calls SET computed_cost_micros = ?, cost_micros = ?, cost_source = ? WHERE id = ?
                    """, arguments: [cost, cost, cost == nil ? nil : CostSource.computed.rawValue, call.id])
                total += cost ?? 0
            }
        }
        return total
    }

    /// Runs `body` with a copy of this database in which run `runID` is costed at `catalog`'s
    /// prices (its models' price snapshots replaced too), then deletes the copy. The stored run
    /// is not changed, and no model is called: tokens and timings are stored.
    ///
    /// - Parameters:
    ///   - runID: The run to cost again.
    ///   - catalog: Today's catalog (the run's `catalog_path`, loaded now).
    ///   - body: Receives the copy and what changed; write reports from the copy.
    /// - Throws: `UnknownRunError` when there is no such run; `StoreError` when copying fails;
    ///   whatever `body` throws.
    public func withRepricedCopy<T>(ofRun runID: Int64, catalog: Catalog,
                                    _ body: (ResultStore, Repricing) throws -> T) throws -> T {
        guard try run(runID) != nil else { throw UnknownRunError(path: path, runID: runID) }
        let repricing = Repricing(models: try models(ofRun: runID), calls: try calls(ofRun: runID), catalog: catalog)
        let copyPath = NSTemporaryDirectory() + "/tradeoff-reprice-\(UUID().uuidString).sqlite"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copyPath + suffix) }
        }
        do {
            let queue = try DatabaseQueue(path: copyPath)
            try pool.backup(to: queue)
            try queue.close()
        } catch {
            throw StoreError(path: path, underlying: error)
        }
        let copy = try ResultStore(path: copyPath)
        defer { try? copy.close() }
        try copy.writeTransaction { db in
            for model in repricing.models { try model.update(db) }
            for call in repricing.calls {
                try db.execute(sql: """
                    UPDATE calls SET computed_cost_micros = ?, cost_micros = ?, cost_source = ? WHERE id = ?
                    """, arguments: [call.computedCostMicros, call.costMicros, call.costSource?.rawValue, call.id])
            }
        }
        return try body(copy, repricing)
    }

    private func writeTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch { throw StoreError(path: path, underlying: error) }
    }
}
