import ArgumentParser
import Foundation

/// The C floor (`Benchmarks/floor.c`, built by `make bench` next to this binary as
/// `tradeoff-floor`): the same streamed calls over libcurl's multi interface, each written as one
/// SQLite row, and nothing else, against its own fake provider. Prints `bench floor_* VALUE` lines.
struct Floor: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure the C floor: libcurl multi plus one SQLite row per call.")

    @Option var calls = 20_000
    @Option var concurrency = 64

    func run() throws {
        let directory = try scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let provider = try FakeProviderProcess(directory: directory, latencyMs: 0)
        defer { provider.stop() }
        let floor = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("tradeoff-floor")
        guard FileManager.default.isExecutableFile(atPath: floor.path) else {
            throw ValidationError("\(floor.path) is missing: `make bench` builds it from Benchmarks/floor.c")
        }
        let providerBefore = provider.cpuSeconds()
        let output = try capture(floor, ["\(provider.port)", "\(calls)", "\(concurrency)", directory + "/floor.sqlite"])
        let providerCPU = provider.cpuSeconds() - providerBefore
        print(output, terminator: "")
        let wall = output.split(separator: "\n").first { $0.hasPrefix("bench floor_wall_seconds ") }
            .flatMap { Double($0.split(separator: " ")[2]) } ?? .nan
        print("bench floor_provider_cores \(providerCPU / wall)")
    }
}
