import ArgumentParser
import Foundation
import TradeoffKit

/// `make bench`: measures what the harness itself costs, against the fake provider on loopback.
/// Prints numbers; asserts nothing (speed targets are not tests).
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tradeoff-bench",
        abstract: "Measure the harness: CPU per call, throughput, efficiency under latency, memory, report time.",
        subcommands: [All.self, Throughput.self, EndToEnd.self, Populate.self],
        defaultSubcommand: All.self
    )
}

/// Runs every scenario, each in its own process (so peak memory is the scenario's own), and
/// prints the table.
struct All: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run every scenario and print the table.")

    @Flag(help: "Smaller sizes, for a quick look (not the issue's figures).")
    var quick = false

    func run() throws {
        let scale = quick ? 10 : 1
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let bin = me.deletingLastPathComponent()
        func child(_ arguments: [String]) throws -> [String: Double] {
            let output = try capture(me, arguments)
            var values: [String: Double] = [:]
            for line in output.split(separator: "\n") where line.hasPrefix("bench ") {
                let parts = line.split(separator: " ")
                if parts.count == 3, let value = Double(parts[2]) { values[String(parts[1])] = value }
            }
            return values
        }
        print("tradeoff-bench: fake provider and harness on 127.0.0.1, \(ProcessInfo.processInfo.activeProcessorCount) cores")

        let calls1 = 20_000 / scale
        let cpu = try child(["throughput", "--calls", "\(calls1)", "--latency-ms", "0", "--concurrency", "64"])
        let calls2 = 20_000 / scale
        let latency = try child(["throughput", "--calls", "\(calls2)", "--latency-ms", "200", "--concurrency", "64"])
        let calls3 = 100_000 / scale
        let memory = try child(["throughput", "--calls", "\(calls3)", "--latency-ms", "0", "--concurrency", "64"])
        let endToEnd = try child(["end-to-end", "--calls", "\(calls3)"])
        let small = try child(["end-to-end", "--calls", "\(calls3 / 10)"])
        let rows = 1_000_000 / scale
        let database = NSTemporaryDirectory() + "/tradeoff-bench-\(UUID().uuidString).sqlite"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        }
        _ = try child(["populate", "--rows", "\(rows)", "--db", database])
        let reports = NSTemporaryDirectory() + "/tradeoff-bench-reports-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let started = Date()
        _ = try capture(bin.appendingPathComponent("tradeoff"), ["report", database, "--out", reports, "--name", "bench"])
        let reportSeconds = Date().timeIntervalSince(started)

        let ideal = Double(calls2) * 0.2 / 64
        let table: [(String, String, String)] = [
            ("harness CPU per call, zero latency (\(calls1) calls)", String(format: "%.0f µs", cpu["cpu_us_per_call"] ?? .nan), "<= 100 µs"),
            ("calls per second, zero latency", String(format: "%.0f", cpu["calls_per_second"] ?? .nan), ""),
            ("fake provider CPU share of wall, zero latency", String(format: "%.2f cores", cpu["provider_cores"] ?? .nan), "< 1 core: not the bottleneck"),
            ("efficiency at 200 ms, 64 in flight (\(calls2) calls)",
             String(format: "%.3f (%.1f s for %.1f s ideal)", ideal / (latency["wall_seconds"] ?? .nan), latency["wall_seconds"] ?? .nan, ideal),
             ">= 0.97"),
            ("runner peak RSS, \(calls3) calls", String(format: "%.0f MB", (memory["peak_rss_kb"] ?? .nan) / 1024), "<= 150 MB"),
            ("CPU per call at \(calls3) calls", String(format: "%.0f µs", memory["cpu_us_per_call"] ?? .nan), ""),
            ("tradeoff run, \(calls3) calls from JSONL, with report: peak RSS",
             String(format: "%.0f MB (%.0f MB at %d calls)", (endToEnd["peak_rss_kb"] ?? .nan) / 1024,
                    (small["peak_rss_kb"] ?? .nan) / 1024, calls3 / 10), "<= 150 MB"),
            ("tradeoff run, \(calls3) calls: wall time", String(format: "%.1f s", endToEnd["wall_seconds"] ?? .nan), ""),
            ("report for \(rows) stored results", String(format: "%.1f s", reportSeconds), "<= 5 s"),
        ]
        let width = table.map(\.0.count).max() ?? 0
        for (name, value, target) in table {
            print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + (target.isEmpty ? "" : "target " + target))
        }
    }
}

/// Runs and waits for a process, returning its standard output; stops on a non-zero exit.
func capture(_ executable: URL, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ValidationError("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
    }
    return String(decoding: data, as: UTF8.self)
}
