import ArgumentParser
import Foundation
import TradeoffKit

struct Push: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Copy the runs of results databases to a shared PostgreSQL history.",
        discussion: """
            Copies every finished run of each database — with its models, cases, calls and judge \
            verdicts — to the PostgreSQL database at --to (or $TRADEOFF_DATABASE_URL), in one \
            transaction per file. A run is known by its uid: pushing again changes nothing, a run \
            resumed since its last push is copied again, and runs still being made are left for a later push. The tables are created (and migrated) on the \
            first push; report, history, compare and --baseline then read them with --db URL. The \
            password and TLS settings come from the URL or libpq's environment (PGPASSWORD, \
            PGSSLMODE, ~/.pgpass); no message shows the password. Exits 2 when the server cannot be \
            reached or refuses the credentials, 3 when the copy fails (nothing is written).

            Examples:
              tradeoff push results/nightly.sqlite --to postgres://ci@db.internal/evals
              tradeoff push results/nightly.sqlite  # to $TRADEOFF_DATABASE_URL
            """
    )

    @Argument(help: "The results databases.", completion: .file(extensions: ["sqlite"]))
    var databases: [String]

    @Option(help: ArgumentHelp("The PostgreSQL database (default: $TRADEOFF_DATABASE_URL).",
                               valueName: "postgres://user@host/db"))
    var to: String?

    func run() throws {
        let url = try sharedDatabaseURL(to, flag: "--to")
        var stores: [(String, ResultStore)] = []
        for database in databases { stores.append((database, try openExistingStore(database))) }
        let history = try openSharedHistory(url)
        for (database, store) in stores {
            let summary: PostgresHistory.PushSummary
            do { summary = try history.push(store) } catch {
                printError("error: \(error)")
                printError("nothing of \(database) was pushed")
                throw ExitCode.incomplete
            }
            let copied = summary.copied.map { "run \($0.local) as \($0.remote)" }
                + summary.updated.map { "run \($0.local) again as \($0.remote), resumed since its last push" }
            var line = copied.isEmpty
                ? "\(database): nothing to push to \(url)"
                : "\(database): pushed \(copied.count) \(copied.count == 1 ? "run" : "runs") to \(url) ("
                    + copied.joined(separator: ", ") + "; \(summary.calls) calls)"
            if !summary.alreadyThere.isEmpty {
                line += "; \(summary.alreadyThere.count) already there"
            }
            print(line)
            if !summary.stillRunning.isEmpty {
                printError("note: \(database): run \(summary.stillRunning.map(String.init).joined(separator: ", ")) is still "
                           + "running (or was left running by a process that died) and was not pushed")
            }
        }
    }
}
