import Foundation

/// What a finished child process printed and how it exited.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Variables that change what `tradeoff` does (the cache policy in CI, a job summary, a shard
/// index, a shared history), set by whatever runs the tests: a child never inherits them, so a
/// test behaves the same on a laptop and on a CI runner. A test that wants one passes it.
public let hostEnvironmentVariablesTestsIgnore: Set<String> = [
    "CI", "GITHUB_STEP_SUMMARY", "JOB_COMPLETION_INDEX", "TRADEOFF_DATABASE_URL", "TRADEOFF_SHARD_COUNT",
]

/// Runs `executable` with `arguments` and waits for it, capturing both output streams.
///
/// - Parameters:
///   - environment: added to (and overriding) this process's environment, less
///     `hostEnvironmentVariablesTestsIgnore`.
///   - directory: the working directory.
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                       directory: String? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment
        .filter { !hostEnvironmentVariablesTestsIgnore.contains($0.key) }
        .merging(environment) { $1 }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    // `waitUntilExit()` polls a run loop every 50 ms on Linux: each test that runs `tradeoff`
    // would wait that long for nothing. The termination handler comes as the child is reaped.
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    try process.run()
    // Read both pipes concurrently so a full pipe never blocks the child.
    let errData = DataBox()
    let reading = DispatchGroup()
    reading.enter()
    DispatchQueue.global().async {
        errData.set(err.fileHandleForReading.readDataToEndOfFile())
        reading.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    exited.wait()
    reading.wait()
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData.get(), as: UTF8.self))
}

import Synchronization

private final class DataBox: Sendable {
    private let data = Mutex(Data())
    func set(_ value: Data) { data.withLock { $0 = value } }
    func get() -> Data { data.withLock { $0 } }
}
