extension TaskFamily {
    /// What a model answers when it does not recognise the question; it never varies.
    static let unsureAnswer = "I'm not sure."

    /// The answer a perfect model gives: plain, no prose, so exact graders work.
    var correctAnswer: String {
        switch self {
        case .arithmetic(let result):
            String(result)
        case .triage(let ticket):
            TicketClassifier.label(for: ticket)
        case .emailExtraction(let text):
            Self.firstEmail(in: text) ?? "none"
        case .personJSON(let name, let age):
            Self.personJSON(name: name, age: String(age), closed: true)
        case .imageLabel(let text):
            text
        case .unknown:
            Self.unsureAnswer
        }
    }

    /// A plausible wrong answer; `variation` (from the request hash) picks which one.
    func wrongAnswer(variation: UInt64) -> String {
        switch self {
        case .arithmetic(let result):
            let offset = Int(1 + variation % 9)
            return String(variation & 0x100 == 0 ? result &+ offset : result &- offset)
        case .triage(let ticket):
            let others = TicketClassifier.labels.filter { $0 != TicketClassifier.label(for: ticket) }
            return others[Int(variation % UInt64(others.count))]
        case .emailExtraction(let text):
            guard let email = Self.firstEmail(in: text), let at = email.firstIndex(of: "@") else {
                return "unknown@example.com"
            }
            // Drop one character of the local part, as a careless copy would.
            var local = Array(email[..<at])
            if local.count > 1 {
                local.remove(at: Int(variation % UInt64(local.count)))
            } else {
                local.append("x")
            }
            return String(local) + email[at...]
        case .personJSON(let name, let age):
            if variation & 1 == 0 {
                let wrongAge = age + 1 + Int((variation >> 1) % 5)
                return Self.personJSON(name: name, age: String(wrongAge), closed: true)
            }
            return Self.personJSON(name: name, age: String(age), closed: false)
        case .imageLabel(let text):
            // A misread: the label a character short, or not read at all.
            return variation & 1 == 0 ? String(text.dropLast()) + "?" : "I can't read the label."
        case .unknown:
            return Self.unsureAnswer
        }
    }

    /// The first email address in `text`.
    static func firstEmail(in text: String) -> String? {
        text.firstMatch(of: /[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}/).map { String($0.output) }
    }

    /// `{"name": "NAME", "age": AGE}`, or without the closing brace (invalid JSON).
    static func personJSON(name: String, age: String, closed: Bool) -> String {
        #"{"name": "\#(JSONText.escape(name))", "age": \#(age)"# + (closed ? "}" : "")
    }
}
