import Foundation

/// The kinds of question the fake provider can answer, recognised by the exact phrasings the
/// demo suite uses. Anything else is ``unknown``.
enum TaskFamily: Sendable, Hashable {
    /// `Compute: A OP B` with integers and OP in `+ - *`; holds the exact result.
    case arithmetic(result: Int)
    /// `Classify the ticket as billing, bug, feature or other` with `Ticket: ...`.
    case triage(ticket: String)
    /// `Extract the email address` with `Text: ...`.
    case emailExtraction(text: String)
    /// `Return a JSON object with keys "name" and "age"` with `Person: NAME is N years old.`
    case personJSON(name: String, age: Int)
    /// Not a question the simulation knows.
    case unknown

    static let triageMarker = "Classify the ticket as billing, bug, feature or other"
    static let emailMarker = "Extract the email address"
    static let jsonMarker = #"Return a JSON object with keys "name" and "age""#

    /// Recognises the family of a prompt (the last user message).
    init(prompt: String) {
        if prompt.contains(Self.triageMarker), let ticket = Self.text(after: "Ticket:", in: prompt) {
            self = .triage(ticket: ticket)
        } else if prompt.contains(Self.emailMarker), let text = Self.text(after: "Text:", in: prompt) {
            self = .emailExtraction(text: text)
        } else if prompt.contains(Self.jsonMarker),
                  let match = prompt.firstMatch(of: /Person:\s*(.+?)\s+is\s+(\d+)\s+years?\s+old/),
                  let age = Int(match.output.2) {
            self = .personJSON(name: String(match.output.1), age: age)
        } else if let match = prompt.firstMatch(of: /Compute:\s*(-?\d+)\s*([-+*])\s*(-?\d+)/),
                  let a = Int(match.output.1), let b = Int(match.output.3),
                  let result = Self.apply(match.output.2, a, b) {
            self = .arithmetic(result: result)
        } else {
            self = .unknown
        }
    }

    /// The trimmed text after the first `marker` up to the end of the prompt, if non-empty.
    private static func text(after marker: String, in prompt: String) -> String? {
        guard let range = prompt.range(of: marker) else { return nil }
        let text = prompt[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// `a OP b`, or nil when it overflows.
    private static func apply(_ op: Substring, _ a: Int, _ b: Int) -> Int? {
        let (value, overflow) = switch op {
        case "+": a.addingReportingOverflow(b)
        case "-": a.subtractingReportingOverflow(b)
        default: a.multipliedReportingOverflow(by: b)
        }
        return overflow ? nil : value
    }
}
