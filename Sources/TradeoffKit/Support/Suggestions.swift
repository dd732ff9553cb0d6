/// "Did you mean ...?" for names a user mistyped: grader types, keys, model ids, variables.
public enum Suggestions {
    /// The candidate nearest to `word` by edit distance, when it is near enough to be a
    /// likely typo.
    ///
    /// A candidate qualifies when its distance is at most `max(2, word.count / 3)` and smaller
    /// than the longer of the two names (so `xy` never suggests `id`). Ties go to the earlier
    /// candidate.
    ///
    /// - Parameters:
    ///   - word: What the user wrote.
    ///   - candidates: The names that are valid here.
    /// - Returns: The closest candidate, or nil when none is close.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let distance = editDistance(word, candidate)
            guard distance <= limit, distance < max(word.count, candidate.count) else { continue }
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        return best?.name
    }

    /// Levenshtein distance over characters (insert, delete, substitute each cost 1).
    static func editDistance(_ a: String, _ b: String) -> Int {
        TradeoffKit.editDistance(Array(a), Array(b))
    }

    /// `" (did you mean 'x'?)"` when a candidate is close, else `" (expected a, b or c)"`, ready
    /// to append to a message.
    static func hint(for word: String, among candidates: [String]) -> String {
        if let match = closest(to: word, among: candidates) { return " (did you mean '\(match)'?)" }
        return " (expected \(list(candidates)))"
    }

    /// `a`, `a or b`, `a, b or c`.
    static func list(_ names: [String], conjunction: String = "or") -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " \(conjunction) " + names.last!
    }
}
