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
    /// `What does the label in the image say?` with a PNG whose first `tEXt` chunk holds the
    /// label (the fake provider's way to "see": a test writes the answer into the picture).
    case imageLabel(text: String)
    /// Not a question the simulation knows.
    case unknown

    static let triageMarker = "Classify the ticket as billing, bug, feature or other"
    static let emailMarker = "Extract the email address"
    static let jsonMarker = #"Return a JSON object with keys "name" and "age""#

    static let imageLabelMarker = "What does the label in the image say?"

    /// Recognises the family of a prompt (the last user message) and the images sent with it.
    init(prompt: String, images: [ImageInput]) {
        if prompt.contains(Self.imageLabelMarker), let label = images.lazy.compactMap(\.label).first {
            self = .imageLabel(text: label)
        } else {
            self.init(prompt: prompt)
        }
    }

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
        } else if let (a, op, b) = Self.computation(in: prompt), let result = Self.apply(op, a, b) {
            self = .arithmetic(result: result)
        } else {
            self = .unknown
        }
    }

    /// The first `Compute: A OP B` (integers in ASCII digits, spaces allowed around OP), scanned
    /// by hand: it is read on every request, and a Regex literal is compiled anew each time it is
    /// evaluated (it cost the fake provider more CPU than the harness spent per call).
    static func computation(in prompt: String) -> (Int, Substring, Int)? {
        var rest = prompt[...]
        while let marker = rest.range(of: "Compute:") {
            var scanner = Substring(rest[marker.upperBound...])
            rest = rest[marker.upperBound...]
            func skipSpaces() { scanner = scanner.drop { $0.isWhitespace } }
            func integer() -> Int? {
                let negative = scanner.first == "-"
                let digits = scanner.dropFirst(negative ? 1 : 0).prefix { $0.isASCII && $0.isWholeNumber }
                guard !digits.isEmpty, let value = Int(scanner[scanner.startIndex..<digits.endIndex]) else { return nil }
                scanner = scanner[digits.endIndex...]
                return value
            }
            skipSpaces()
            guard let a = integer() else { continue }
            skipSpaces()
            guard let op = scanner.first, "+-*".contains(op) else { continue }
            let opText = scanner.prefix(1)
            scanner = scanner.dropFirst()
            skipSpaces()
            guard let b = integer() else { continue }
            return (a, opText, b)
        }
        return nil
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
