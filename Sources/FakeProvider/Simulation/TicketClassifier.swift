/// The keyword rules that decide a support ticket's label. The demo dataset's ground truth is
/// checked against these rules by a test, so the two cannot drift apart.
///
/// Rules apply in order (billing, then bug, then feature); a ticket matching none is `other`.
/// Keywords match whole words, case-insensitively; phrases match consecutive words.
enum TicketClassifier {
    /// Every label, in rule order.
    static let labels = ["billing", "bug", "feature", "other"]

    static let rules: [(label: String, keywords: [String])] = [
        ("billing", ["charge", "charged", "charges", "invoice", "invoices", "refund", "refunds", "payment",
                     "payments", "card", "subscription", "price", "pricing", "billed", "billing", "receipt"]),
        ("bug", ["crash", "crashes", "crashed", "error", "errors", "broken", "fails", "failed", "bug",
                 "freeze", "freezes", "frozen"]),
        ("feature", ["add", "support for", "would be nice", "wish", "feature", "request"]),
    ]

    /// The label of `ticket`: `billing`, `bug`, `feature` or `other`.
    static func label(for ticket: String) -> String {
        let words = ticket.lowercased().split { !$0.isLetter }
        let padded = " " + words.joined(separator: " ") + " "
        for rule in rules where rule.keywords.contains(where: { padded.contains(" \($0) ") }) {
            return rule.label
        }
        return "other"
    }
}
