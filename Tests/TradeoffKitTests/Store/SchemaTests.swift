import Foundation
import GRDB
import Testing
@testable import TradeoffKit
import TradeoffTestSupport

/// Migrations v15 and v16: the plain `calls.run_id → runs.id` key, and the views, on new
/// databases and on databases a previous version wrote.
struct SchemaTests {
    static let v14 = "v14: provider batches, recorded before they are submitted"

    /// A database as version v14 left it, with a run, a call, a judge call and a deleted call.
    private static func v14Database(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: v14)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO runs (id, suite, suite_path, suite_hash, catalog_path, tool_version, started_at, status)
                  VALUES (1, 's', 's.yaml', 'h', 'm.yaml', '0.1', '2026-01-01 00:00:00.000', 'completed');
                INSERT INTO run_models (run_id, model_id, provider, base_url, model, class, max_concurrency)
                  VALUES (1, 'm', 'openai', 'http://x/v1', 'sim/m', 'open', 1);
                INSERT INTO cases (run_id, task_id, case_id, position, variables) VALUES (1, 't', '1', 0, '{}');
                INSERT INTO cases (run_id, task_id, case_id, position, variables) VALUES (1, 't', '2', 1, '{}');
                INSERT INTO calls (id, run_id, model_id, task_id, case_id, output, score, passed, cost_micros,
                  started_at, finished_at, batched)
                  VALUES (5, 1, 'm', 't', '1', 'yes', 1, 1, 1500, '2026-01-01 00:00:01.250', '2026-01-01 00:00:02.000', 1);
                INSERT INTO calls (id, run_id, model_id, task_id, case_id, error_class, error_message, started_at, finished_at)
                  VALUES (9, 1, 'm', 't', '2', 'timeout', 'late', '2026-01-01 00:00:01.000', '2026-01-01 00:00:03.000');
                DELETE FROM calls WHERE id = 9;
                INSERT INTO judge_calls (call_id, run_id, grader_index, judge_model_id, provider, model, prompt_sha256,
                  output, started_at, finished_at)
                  VALUES (5, 1, 0, 'j', 'openai', 'sim/j', 'abc', 'PASS', '2026-01-01 00:00:01.500', '2026-01-01 00:00:01.900');
                """)
        }
        try queue.close()
    }

    @Test func callsRunIDIsAPlainForeignKeyToRuns() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("new.sqlite"))
            let keys = try store.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('calls')")
                    .map { "\($0[0] as String).\($0[2] as String) <- \($0[1] as String)" }
            }
            #expect(keys.contains("runs.id <- run_id"))
            // The composite keys to run_models and cases are still there.
            #expect(keys.contains("run_models.model_id <- model_id") && keys.contains("cases.case_id <- case_id"))
        }
    }

    @Test func aV14DatabaseKeepsEveryCallColumnAndIDWhenMigrated() throws {
        try withTemporaryDirectory { directory in
            let path = directory.file("old.sqlite")
            try Self.v14Database(at: path)
            let before = try DatabaseQueue(path: path).read { db in
                try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('calls')")
            }
            let store = try ResultStore(path: path)
            try store.pool.read { db in
                // Every column kept, in order; later migrations only append (v18: batch_fallback, v19: tool_calls,
                // v20: prompt_variant, v21: mean_logprob and logprob_tokens).
                #expect(try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('calls')")
                        == before + ["batch_fallback", "tool_calls", "prompt_variant", "mean_logprob", "logprob_tokens"])
                let call = try #require(try Row.fetchOne(db, sql: "SELECT id, output, cost_micros, batched, started_at FROM calls"))
                #expect(call[0] as Int64 == 5 && call[1] as String == "yes" && call[2] as Int64 == 1500)
                #expect(call[3] as Bool == true && call[4] as String == "2026-01-01 00:00:01.250")
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM judge_calls WHERE call_id = 5") == 1)
                #expect(try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'calls'") == 9,
                        "the id of the deleted call is not handed out again")
                let indexes = try String.fetchAll(db, sql: "SELECT name FROM pragma_index_list('calls') WHERE origin = 'c' ORDER BY name")
                // v20 made the call's key (with its prompt variant) an index of its own; v22 dropped
                // calls_by_model, which the key's index serves.
                #expect(indexes == ["calls_by_key", "calls_by_request_hash"])
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pragma_foreign_key_list('calls') WHERE \"table\" = 'runs'") == 1)
                #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
                // The views read the old rows too.
                let summary = try #require(try Row.fetchOne(db, sql: "SELECT calls, answered, errors, pass_rate, cost_usd FROM model_summary"))
                #expect(summary[0] as Int == 1 && summary[1] as Int == 1 && summary[2] as Int == 0)
                #expect(summary[3] as Double == 1 && summary[4] as Double == 0.0015)
            }
            // Deleting the run deletes its calls through the new key as well.
            try store.pool.write { db in try db.execute(sql: "DELETE FROM runs") }
            #expect(try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls") } == 0)
        }
    }

    /// v22: the call key's index, which begins with `run_id, model_id`, finds a run's calls
    /// and a model's calls in a run, as the dropped `calls_by_model` did.
    @Test func aRunsCallsAreFoundThroughTheCallKeysIndex() throws {
        try withTemporaryDirectory { directory in
            let store = try ResultStore(path: directory.file("new.sqlite"))
            try store.pool.read { db in
                for search in ["run_id = 1", "run_id = 1 AND model_id = 'm'"] {
                    let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id, output FROM calls WHERE \(search)")
                        .map { $0["detail"] as String }
                    #expect(plan.contains { $0.contains("USING INDEX calls_by_key") }, "\(search): \(plan)")
                }
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pragma_index_list('calls') WHERE name = 'calls_by_model'") == 0)
            }
        }
    }

    /// A database whose `calls_by_model` someone already dropped (the SQL views invite queries
    /// of one's own) still opens.
    @Test func aV21DatabaseWithoutCallsByModelIsMigrated() throws {
        try withTemporaryDirectory { directory in
            let path = directory.file("v21.sqlite")
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "v21: the mean token logprob of an answer, for confidence graders")
            try queue.write { db in try db.execute(sql: "DROP INDEX calls_by_model") }
            try queue.close()
            let store = try ResultStore(path: path)
            #expect(try store.pool.read { db in try Schema.migrator.hasCompletedMigrations(db) })
        }
    }

    @Test func aCallsTableNotAsV14LeftItIsNotRebuilt() throws {
        try withTemporaryDirectory { directory in
            let path = directory.file("odd.sqlite")
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: Self.v14)
            try queue.write { db in
                try db.execute(sql: "DROP TABLE judge_calls; DROP TABLE calls; CREATE TABLE calls (id INTEGER PRIMARY KEY, run_id INTEGER)")
            }
            try queue.close()
            let error = #expect(throws: StoreError.self) { try ResultStore(path: path) }
            #expect(error?.description == "\(path): database error: cannot give calls.run_id its key to runs.id: "
                    + "the calls table is not as migration v14 left it (was it changed outside Tradeoff?)")
        }
    }

    @Test func viewsHoldTheRunAndModelBesideEachCall() throws {
        try withTemporaryDirectory { directory in
            let path = directory.file("old.sqlite")
            try Self.v14Database(at: path)
            let store = try ResultStore(path: path)
            let row = try store.pool.read { db in
                try #require(try Row.fetchOne(db, sql: """
                    SELECT suite, run_status, model, class, cost_micros, cost_usd, started_at FROM calls_with_run
                    """))
            }
            #expect(row[0] as String == "s" && row[1] as String == "completed" && row[2] as String == "sim/m")
            #expect(row[3] as String == "open" && row[4] as Int64 == 1500 && row[5] as Double == 0.0015)
            #expect(row[6] as String == "2026-01-01 00:00:01.250")
        }
    }
}
