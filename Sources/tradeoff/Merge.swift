import ArgumentParser
import Foundation
import TradeoffKit

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the databases of a sharded run into one run.",
        discussion: """
            Takes the latest run of each database — the shards of one suite run with --shard i/n \
            on the same models — and writes them as one new run into the output database, which \
            then reports exactly like an unsharded run. Nothing is written when the runs do not \
            fit together (another suite, other models, a case in two shards).

            Examples:
              tradeoff merge shard-1.sqlite shard-2.sqlite --output results/demo.sqlite
            """
    )

    @Argument(help: "The shard databases.", completion: .file(extensions: ["sqlite"]))
    var databases: [String]

    @Option(name: .shortAndLong, help: "The database to write the merged run into (created if needed, and only when the merge succeeds).")
    var output: String

    func validate() throws {
        let target = URL(fileURLWithPath: output).standardizedFileURL.path
        if databases.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == target }) {
            throw ValidationError("-o must not be one of the databases being merged")
        }
    }

    func run() throws {
        for database in databases {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: database, isDirectory: &isDirectory) else {
                printError("error: no results database at '\(database)'")
                throw ExitCode.badInput
            }
            try refuseFolder(database, isDirectory: isDirectory.boolValue)
        }
        try checkWritable(file: output, flag: "-o", example: "merged.sqlite")
        let summary: ResultStore.MergeSummary
        do {
            summary = try ResultStore.merge(databases, into: output)
        } catch let error as StoreError {
            printError("error: \(error)")
            throw ExitCode.badInput
        }
        print("merged \(databases.count) databases into run \(summary.runID) of \(output): \(summary.cases) cases, \(summary.calls) calls")
    }
}
