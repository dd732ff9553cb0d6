import Foundation
import Synchronization

/// Shows a run's progress on standard error: one line redrawn in place on a terminal, a plain
/// line every few seconds otherwise (CI logs), nothing when quiet.
public final class Progress: Sendable {
    /// How progress is shown.
    public enum Mode: Sendable {
        /// Redraw one line in place (a terminal).
        case live
        /// A plain line at most every `interval` seconds (logs).
        case plain(interval: Double)
    }

    private struct ModelCounts {
        var done = 0
        var failed = 0
    }

    private struct State {
        var models: [String] = []
        var counts: [String: ModelCounts] = [:]
        var callsPerModel = 0
        var costMicros: Int64 = 0
        var started = Date()
        var lastDraw = Date.distantPast
    }

    private let mode: Mode
    private let state = Mutex(State())
    private let output: @Sendable (String) -> Void

    /// - Parameters:
    ///   - mode: `.live` on a terminal, `.plain` otherwise; see `Progress.standardError()`.
    ///   - output: where text goes (standard error by default).
    public init(mode: Mode, output: @escaping @Sendable (String) -> Void = Progress.writeToStandardError) {
        self.mode = mode
        self.output = output
    }

    /// Live on a terminal, plain lines every 5 seconds otherwise.
    public static func standardError() -> Progress {
        Progress(mode: isatty(STDERR_FILENO) != 0 ? .live : .plain(interval: 5))
    }

    @Sendable public static func writeToStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    func start(models: [String], callsPerModel: Int) {
        state.withLock { state in
            state.models = models
            state.callsPerModel = callsPerModel
            state.counts = Dictionary(uniqueKeysWithValues: models.map { ($0, ModelCounts()) })
            state.started = Date()
        }
    }

    func record(modelID: String, failed: Bool, costMicros: Int64, latencyMs: Double?) {
        let line: String? = state.withLock { state in
            state.counts[modelID, default: ModelCounts()].done += 1
            if failed { state.counts[modelID, default: ModelCounts()].failed += 1 }
            state.costMicros += costMicros
            let now = Date()
            let interval: Double = switch mode {
            case .live: 0.1
            case .plain(let seconds): seconds
            }
            guard now.timeIntervalSince(state.lastDraw) >= interval else { return nil }
            state.lastDraw = now
            return Self.line(state)
        }
        if let line { draw(line) }
    }

    /// A message of its own line, above the progress line.
    func note(_ message: String) {
        switch mode {
        case .live: output("\r\u{1B}[K" + message + "\n")
        case .plain: output(message + "\n")
        }
    }

    func finish() {
        let line = state.withLock { Self.line($0) }
        switch mode {
        case .live: output("\r\u{1B}[K" + line + "\n")
        case .plain: output(line + "\n")
        }
    }

    private func draw(_ line: String) {
        switch mode {
        case .live: output("\r\u{1B}[K" + line)
        case .plain: output(line + "\n")
        }
    }

    private static func line(_ state: State) -> String {
        let total = state.callsPerModel * state.models.count
        let done = state.counts.values.reduce(0) { $0 + $1.done }
        let failed = state.counts.values.reduce(0) { $0 + $1.failed }
        let percent = total > 0 ? done * 100 / total : 100
        let perModel = state.models.map { id -> String in
            let counts = state.counts[id] ?? ModelCounts()
            return "\(id) \(counts.done)/\(state.callsPerModel)"
        }.joined(separator: "  ")
        let elapsed = Date().timeIntervalSince(state.started)
        let seconds = String(format: "%.1f", elapsed)
        let spent = Money.format(micros: state.costMicros)
        return "progress: \(done)/\(total) calls (\(percent)%), \(failed) errors, \(spent) spent, \(seconds)s | \(perModel)"
    }
}
