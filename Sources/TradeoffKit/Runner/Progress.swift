import Foundation
import Synchronization

/// Shows a run's progress on standard error. On a terminal: one line per model (done/total,
/// errors, spend, median latency) and a total line with the ETA, redrawn in place. Otherwise
/// (CI logs): one plain line at most every few seconds. Nothing when quiet.
public final class Progress: Sendable {
    /// How progress is shown.
    public enum Mode: Sendable {
        /// Redraw the model lines in place (a terminal).
        case live
        /// A plain line at most every `interval` seconds (logs).
        case plain(interval: Double)
    }

    private struct ModelCounts {
        var done = 0
        var failed = 0
        var costMicros: Int64 = 0
        /// The latest latencies (a bounded window), for a median that follows the run.
        var latencies: [Double] = []
        var nextLatency = 0
    }

    /// What a resumed run recorded for a model before this session.
    struct Recorded: Sendable, Hashable {
        var calls: Int
        var failed: Int
        var costMicros: Int64
    }

    private struct State {
        var models: [String] = []
        var counts: [ModelCounts] = []
        var indexByID: [String: Int] = [:]
        var callsPerModel = 0
        /// Calls recorded before this session (a resumed run's): counted as done, but not in
        /// the pace the ETA is drawn from.
        var recordedBefore = 0
        var started = Date()
        var lastDraw = Date.distantPast
        /// Lines drawn by the last live redraw, to move the cursor back over them.
        var linesOnScreen = 0
    }

    /// Latencies kept per model for the median.
    static let latencyWindow = 1_000

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

    /// Writes to standard error; once it is closed (`2>&1 | head -1`), progress is no longer shown.
    @Sendable public static func writeToStandardError(_ text: String) {
        StandardStream.error.write(text)
    }

    /// Starts counting; a resumed run's earlier calls (`recorded`, by model id) count as done.
    func start(models: [String], callsPerModel: Int, recorded: [String: Recorded] = [:]) {
        state.withLock { state in
            state.models = models
            state.callsPerModel = callsPerModel
            state.counts = models.map { model in
                let before = recorded[model]
                return ModelCounts(done: before?.calls ?? 0, failed: before?.failed ?? 0, costMicros: before?.costMicros ?? 0)
            }
            state.recordedBefore = state.counts.reduce(0) { $0 + $1.done }
            state.indexByID = Dictionary(models.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            state.started = Date()
        }
    }

    func record(modelID: String, failed: Bool, costMicros: Int64, latencyMs: Double?) {
        let text: String? = state.withLock { state in
            if let index = state.indexByID[modelID] {
                state.counts[index].done += 1
                if failed { state.counts[index].failed += 1 }
                state.counts[index].costMicros = Money.sum(state.counts[index].costMicros, costMicros)
                if let latencyMs, !failed {
                    if state.counts[index].latencies.count < Self.latencyWindow {
                        state.counts[index].latencies.append(latencyMs)
                    } else {
                        state.counts[index].latencies[state.counts[index].nextLatency] = latencyMs
                        state.counts[index].nextLatency = (state.counts[index].nextLatency + 1) % Self.latencyWindow
                    }
                }
            }
            let now = Date()
            let interval: Double = switch mode {
            case .live: 0.1
            case .plain(let seconds): seconds
            }
            guard now.timeIntervalSince(state.lastDraw) >= interval else { return nil }
            state.lastDraw = now
            return render(&state, now: now)
        }
        if let text { output(text) }
    }

    /// A message on its own line, above the progress lines.
    func note(_ message: String) {
        let text: String = state.withLock { state in
            switch mode {
            case .live:
                let clear = Self.clear(state.linesOnScreen)
                state.linesOnScreen = 0
                return clear + message + "\n"
            case .plain:
                return message + "\n"
            }
        }
        output(text)
    }

    func finish() {
        let text = state.withLock { state in
            state.lastDraw = Date()
            return render(&state, now: Date(), final: true)
        }
        output(text)
    }

    /// The text of one redraw: every model line and the total (live), or the total alone (plain).
    private func render(_ state: inout State, now: Date, final: Bool = false) -> String {
        let total = Self.totalLine(state, now: now)
        switch mode {
        case .plain:
            let perModel = state.models.indices.map { "\(state.models[$0]) \(state.counts[$0].done)/\(state.callsPerModel)" }
            return total + " | " + perModel.joined(separator: "  ") + "\n"
        case .live:
            let width = state.models.map(\.count).max() ?? 0
            var lines = state.models.indices.map { Self.modelLine(state, $0, width: width) }
            lines.append(total)
            let text = Self.clear(state.linesOnScreen) + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\n")
                + (final ? "\n" : "")
            state.linesOnScreen = final ? 0 : lines.count
            return text
        }
    }

    /// Moves the cursor back to the start of the lines drawn last, so they are overwritten.
    private static func clear(_ lines: Int) -> String {
        guard lines > 0 else { return "" }
        return "\r" + (lines > 1 ? "\u{1B}[\(lines - 1)A" : "") + "\u{1B}[J"
    }

    private static func modelLine(_ state: State, _ index: Int, width: Int) -> String {
        let counts = state.counts[index]
        let name = state.models[index].padding(toLength: width, withPad: " ", startingAt: 0)
        let median = Statistics.percentile(50, of: counts.latencies).map { String(format: "%.0f ms", $0) } ?? "-"
        return "\(name)  \(counts.done)/\(state.callsPerModel)  \(counts.failed) errors  "
            + "\(Money.format(micros: counts.costMicros))  p50 \(median)"
    }

    private static func totalLine(_ state: State, now: Date) -> String {
        let total = state.callsPerModel * state.models.count
        let done = state.counts.reduce(0) { $0 + $1.done }
        let failed = state.counts.reduce(0) { $0 + $1.failed }
        let spent = Money.format(micros: state.counts.reduce(0) { $0 + $1.costMicros })
        let percent = total > 0 ? done * 100 / total : 100
        let elapsed = now.timeIntervalSince(state.started)
        var text = "progress: \(done)/\(total) calls (\(percent)%), \(failed) errors, \(spent) spent, "
            + duration(elapsed)
        let madeNow = done - state.recordedBefore
        if madeNow > 0 && done < total {
            text += ", ETA " + duration(elapsed / Double(madeNow) * Double(total - done))
        }
        return text
    }

    private static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds.rounded())
        return whole < 3_600 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s"
            : "\(whole / 3_600)h\(String(format: "%02d", whole / 60 % 60))m"
    }
}
