import GRDB

/// What a run has recorded so far, over all its sessions (a resumed run's earlier ones too).
public struct RunTally: Sendable, Hashable {
    /// Calls that produced an answer, replayed ones included.
    public var answered = 0
    /// Calls that ended in an error.
    public var failed = 0
    /// Answers replayed from the response cache (among `answered`).
    public var replayed = 0
    /// What the run spent on its calls, micro-dollars: their cost, replayed answers left out.
    public var spentMicros: Int64 = 0
    /// What its judges cost, micro-dollars.
    public var judgeCostMicros: Int64 = 0
    /// Graders that could not grade an answer.
    public var graderErrors = 0

    /// Calls recorded: answered and failed.
    public var calls: Int { answered + failed }

    /// An empty tally.
    public init() {}

    static func + (lhs: RunTally, rhs: RunTally) -> RunTally {
        var sum = lhs
        sum.answered += rhs.answered
        sum.failed += rhs.failed
        sum.replayed += rhs.replayed
        sum.spentMicros += rhs.spentMicros
        sum.judgeCostMicros += rhs.judgeCostMicros
        sum.graderErrors += rhs.graderErrors
        return sum
    }
}

extension ResultStore {
    /// What run `runID` has recorded, per model.
    ///
    /// - Throws: `StoreError` when reading fails.
    public func tally(ofRun runID: Int64) throws -> [String: RunTally] {
        do {
            return try pool.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT model_id, COUNT(output) AS answered, COUNT(error_class) AS failed,
                           COUNT(cached_from) AS replayed,
                           COALESCE(SUM(CASE WHEN cached_from IS NULL THEN cost_micros END), 0) AS spent,
                           COALESCE(SUM(judge_cost_micros), 0) AS judging, COALESCE(SUM(grader_errors), 0) AS grader_errors
                    FROM calls WHERE run_id = ? GROUP BY model_id
                    """, arguments: [runID])
                var tallies: [String: RunTally] = [:]
                for row in rows {
                    var tally = RunTally()
                    (tally.answered, tally.failed, tally.replayed) = (row["answered"], row["failed"], row["replayed"])
                    (tally.spentMicros, tally.judgeCostMicros) = (row["spent"], row["judging"])
                    tally.graderErrors = row["grader_errors"]
                    tallies[row["model_id"]] = tally
                }
                return tallies
            }
        } catch {
            throw StoreError(path: path, underlying: error)
        }
    }
}

extension Dictionary where Key == String, Value == RunTally {
    /// The tallies of every model added up.
    public var total: RunTally { values.reduce(RunTally(), +) }
}
