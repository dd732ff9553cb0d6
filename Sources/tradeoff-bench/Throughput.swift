import ArgumentParser
import Foundation
import TradeoffKit

/// One run of `calls` calls through the real runner, HTTP client and store, against a
/// `fake-provider` child process; prints `bench NAME VALUE` lines.
struct Throughput: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run N calls against the fake provider and measure.")

    @Option var calls = 20_000
    @Option var latencyMs = 0
    @Option var concurrency = 64
    @Flag(help: "Non-streaming calls (the default streams, as real runs do).")
    var noStream = false
    @Option(help: ArgumentHelp("Use a fake provider already listening on this port (for valgrind, which cannot spawn one).",
                               visibility: .hidden))
    var providerPort: Int?

    func run() throws {
        let directory = try scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let provider = try providerPort.map(FakeProviderProcess.init(runningOn:))
            ?? FakeProviderProcess(directory: directory, latencyMs: latencyMs)
        defer { provider.stop() }

        // The suite is loaded from files as `tradeoff run` loads it: its cases stream from a JSONL dataset.
        let files = try BenchSuite.write(in: directory, calls: calls, port: provider.port, concurrency: concurrency,
                                         stream: !noStream)
        let loaded = try SuiteLoader(environment: [:]).load(suitePath: files.suite)
        let suite = loaded.suite
        let model = loaded.models[0]
        let store = try ResultStore(path: directory + "/bench.sqlite")
        let client = try HTTPClient()
        let runner = try Runner(plan: RunPlan(suite: suite, models: [model]), store: store, client: client, environment: [:])
        _ = files

        let cpuBefore = cpuSeconds()
        let providerBefore = provider.cpuSeconds()
        let started = Date()
        let outcome = try runner.run(catalogPath: "bench")
        let wall = Date().timeIntervalSince(started)
        let cpu = cpuSeconds() - cpuBefore
        let providerCPU = provider.cpuSeconds() - providerBefore
        let connections = provider.connections(using: client)
        client.shutdown()
        guard outcome.answered == calls else {
            throw ValidationError("only \(outcome.answered) of \(calls) calls answered (\(outcome.failed) failed)")
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("bench wall_seconds \(wall)")
        print("bench cpu_us_per_call \(cpu / Double(calls) * 1_000_000)")
        print("bench calls_per_second \(Double(calls) / wall)")
        print("bench provider_cores \(providerCPU / wall)")
        print("bench peak_rss_kb \(usage.ru_maxrss)")
        print("bench connections \(connections)")
    }
}

/// The benchmark's suite as files: a JSONL dataset of `calls` arithmetic cases, the suite that
/// reads it, and a catalog with one model on the fake provider.
enum BenchSuite {
    /// - Parameter limits: More catalog fields for the model, e.g. `requests_per_minute: 600`.
    static func write(in directory: String, calls: Int, port: Int, concurrency: Int, stream: Bool,
                      limits: String = "") throws -> (suite: String, catalog: String)
    {
        var rows = ""
        rows.reserveCapacity(calls * 64)
        for index in 0..<calls {
            rows += "{\"id\": \"c\(index)\", \"a\": \"\(index)\", \"b\": \"\(index % 97)\", \"sum\": \"\(index + index % 97)\"}\n"
        }
        try rows.write(toFile: directory + "/bench.jsonl", atomically: true, encoding: .utf8)
        let catalog = directory + "/bench.models.yaml"
        try """
            models:
              - {id: bench, base_url: "http://127.0.0.1:\(port)/v1", model: sim/bench, class: open,
                 price: {input: 0.59, output: 0.79}, max_concurrency: \(concurrency), timeout: 60, stream: \(stream)\(limits.isEmpty ? "" : ", " + limits)}
            """.write(toFile: catalog, atomically: true, encoding: .utf8)
        let suite = directory + "/bench.yaml"
        try """
            suite: bench
            models: bench.models.yaml
            tasks:
              - id: sums
                system: You are a calculator.
                prompt: "Compute: {{a}} + {{b}}. Answer with the number only."
                max_tokens: 16
                dataset: bench.jsonl
                graders: [{type: exact, expected: "{{sum}}", normalize: [trim]}]
            """.write(toFile: suite, atomically: true, encoding: .utf8)
        return (suite, catalog)
    }
}

/// A fresh folder under the temporary directory for one scenario's files; the caller removes it.
func scratchFolder() throws -> String {
    let path = NSTemporaryDirectory() + "/tradeoff-bench-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// This process's user + system CPU time, seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// `fake-provider` (built next to this binary) as a child process on a free loopback port.
final class FakeProviderProcess {
    let process = Process()
    let port: Int
    /// False when the provider was started by someone else: then it is not stopped here.
    private let owned: Bool

    /// A provider someone else started (its CPU is not measured).
    init(runningOn port: Int) {
        self.port = port
        owned = false
    }

    /// - Parameter limits: The model's `limits:` in the fake provider's config, e.g.
    ///   `{requests: 20, window_ms: 1000}`; nil for none.
    init(directory: String, latencyMs: Int, limits: String? = nil) throws {
        let config = directory + "/fake.yaml"
        let limitsField = limits.map { ", limits: " + $0 } ?? ""
        try "models:\n  - {name: sim/bench, accuracy: 1, latency_ms: \(latencyMs)\(limitsField)}\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let portFile = directory + "/port"
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("fake-provider")
        process.executableURL = binary
        process.arguments = ["--config", config, "--port", "0", "--port-file", portFile]
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        var port: Int?
        while port == nil && Date() < deadline {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if port == nil { usleep(20_000) }
        }
        guard let port else { throw ValidationError("fake-provider did not start") }
        self.port = port
        owned = true
    }

    /// TCP connections the provider has accepted (from its `/_fake/stats`), or NaN.
    func connections(using client: HTTPClient) -> Double {
        (stats(using: client)?["connections"] as? Int).map(Double.init) ?? .nan
    }

    /// Requests the provider refused for its limits (429s), or NaN.
    func refusals(using client: HTTPClient) -> Double {
        let faults = stats(using: client)?["faults"] as? [String: [String: Int]]
        return faults.map { Double($0["sim/bench"]?["limited"] ?? 0) } ?? .nan
    }

    /// The provider's `/_fake/stats` counters.
    private func stats(using client: HTTPClient) -> [String: Any]? {
        let request = HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/_fake/stats")
        guard let response = try? client.sendAndWait(request).get() else { return nil }
        return (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
    }

    /// The child's user + system CPU time, seconds (from /proc).
    func cpuSeconds() -> Double {
        guard owned, let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return .nan }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func stop() {
        guard owned else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
