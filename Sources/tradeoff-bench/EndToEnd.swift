import ArgumentParser
import Foundation

/// `tradeoff run` itself, as a user runs it: the suite's cases stream from a JSONL dataset, every
/// call is recorded, and the report is written. Prints the command's peak RSS and wall time, and
/// checks the report counts every call answered.
struct EndToEnd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "end-to-end",
                                                    abstract: "Run `tradeoff run` on N calls and measure it.")

    @Option var calls = 100_000
    @Option var concurrency = 64
    @Option var latencyMs = 0

    func run() throws {
        let directory = try scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let provider = try FakeProviderProcess(directory: directory, latencyMs: latencyMs)
        defer { provider.stop() }
        let files = try BenchSuite.write(in: directory, calls: calls, port: provider.port, concurrency: concurrency,
                                         stream: true)
        let tradeoff = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("tradeoff")
        let started = Date()
        _ = try capture(tradeoff, ["run", files.suite, "--db", directory + "/bench.sqlite", "--out", directory,
                                   "--name", "bench", "--quiet", "--cache", "off"])
        let wall = Date().timeIntervalSince(started)
        // Only `tradeoff` has ended among this process's children so far: its peak is the children's.
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)

        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/bench.json")))
        let model = ((report as? [String: Any])?["models"] as? [[String: Any]])?.first
        guard let answered = model?["answered"] as? Int, answered == calls, model?["calls"] as? Int == calls else {
            throw ValidationError("the report does not count \(calls) answered calls: \(model ?? [:])")
        }
        print("bench wall_seconds \(wall)")
        print("bench peak_rss_kb \(usage.ru_maxrss)")
    }
}
