/// One reason a run stopped before every call was made.
///
/// A run keeps every cause: a budget stop, a model stopped for a bad key and a Ctrl-C may all
/// end the same run, and naming one would hide the others. They are stored one a line in
/// `runs.stop_reason` (no migration: a value written before, one cause on one line, reads back
/// as it was).
public enum StopReason: Sendable, Hashable {
    /// No call was started that could take the spend past the budget; `detail` says which budget.
    case budget(detail: String)
    /// A model's remaining calls were not made, and why (`3 calls in a row failed with auth ...`).
    case modelStopped(modelID: String, reason: String)
    /// Ctrl-C, SIGTERM or SIGHUP: the calls in flight finished, no more started.
    case interrupted
    /// Results could no longer be written (a full disk), and why.
    case resultsNotSaved(detail: String)
    /// Calls left in providers' batches, not collected yet: a resume collects them.
    case batchesPending(calls: Int)
    /// A cause this version does not know, kept as written.
    case other(String)

    private static let budgetPrefix = "budget: "
    private static let interruptedText = "cancelled"
    private static let notSavedPrefix = "results could not be written: "
    private static let modelInfix = " stopped: "
    private static let batchesSuffix = " calls are in provider batches not collected yet; a resume collects them"

    /// Reads one stored cause.
    public init(stored text: String) {
        if text.hasPrefix(Self.budgetPrefix) {
            self = .budget(detail: String(text.dropFirst(Self.budgetPrefix.count)))
        } else if text == Self.interruptedText {
            self = .interrupted
        } else if text.hasPrefix(Self.notSavedPrefix) {
            self = .resultsNotSaved(detail: String(text.dropFirst(Self.notSavedPrefix.count)))
        } else if text.hasSuffix(Self.batchesSuffix), let calls = Int(text.dropLast(Self.batchesSuffix.count)) {
            self = .batchesPending(calls: calls)
        } else if let infix = text.range(of: Self.modelInfix) {
            self = .modelStopped(modelID: String(text[..<infix.lowerBound]), reason: String(text[infix.upperBound...]))
        } else {
            self = .other(text)
        }
    }

    /// The cause as stored: one line (a line break in an error message becomes a space).
    public var stored: String {
        let text = switch self {
        case .budget(let detail): Self.budgetPrefix + detail
        case .modelStopped(let modelID, let reason): modelID + Self.modelInfix + reason
        case .interrupted: Self.interruptedText
        case .resultsNotSaved(let detail): Self.notSavedPrefix + detail
        case .batchesPending(let calls): "\(calls)" + Self.batchesSuffix
        case .other(let text): text
        }
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// The causes held by a `runs.stop_reason` value, in the order they were written.
    public static func list(stored text: String?) -> [StopReason] {
        guard let text else { return [] }
        return text.split(separator: "\n").map { StopReason(stored: String($0)) }
    }

    /// The `runs.stop_reason` value of `reasons`: one a line; nil when there is none.
    public static func stored(_ reasons: [StopReason]) -> String? {
        reasons.isEmpty ? nil : reasons.map(\.stored).joined(separator: "\n")
    }

    /// Every cause in one clause, as a report's banner and the run's closing summary say it:
    /// `it was stopped by its budget (...); a model was stopped (bad stopped: ...); it was interrupted`.
    /// Stopped models are named together; nil when there is no cause.
    public static func sentence(_ reasons: [StopReason]) -> String? {
        var phrases: [String] = []
        var models: [String] = []
        var modelsAt: Int?
        for reason in reasons {
            switch reason {
            case .budget(let detail): phrases.append("it was stopped by its budget (\(detail))")
            case .interrupted: phrases.append("it was interrupted")
            case .resultsNotSaved(let detail): phrases.append("its results could not be written (\(detail))")
            case .batchesPending(let calls): phrases.append("\(calls) calls are still in providers' batches (a resume collects them)")
            case .other(let text): phrases.append("it stopped (\(text))")
            case .modelStopped:
                if modelsAt == nil { modelsAt = phrases.count }
                models.append(reason.stored)
            }
        }
        if let modelsAt {
            let subject = models.count == 1 ? "a model was stopped" : "\(models.count) models were stopped"
            phrases.insert("\(subject) (\(models.joined(separator: "; ")))", at: modelsAt)
        }
        return phrases.isEmpty ? nil : phrases.joined(separator: "; ")
    }
}

extension RunRecord {
    /// Every reason the run stopped before every call was made (`stopReason`, read back).
    public var stopReasons: [StopReason] { StopReason.list(stored: stopReason) }
}
