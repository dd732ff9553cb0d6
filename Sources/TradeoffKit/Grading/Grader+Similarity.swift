/// Similarity graders: `similarity` (Levenshtein ratio), `rouge-l` and `bleu`. Each scores its
/// measure (0...1) and passes from its `threshold`.
extension Grader {
    func checkSimilarity(_ answer: String, variables: [String: String]) -> Check {
        switch spec.kind {
        case .similarity(let references, let threshold, let ignoreCase, let normalize):
            func prepare(_ text: String) -> String {
                let normalized = Self.normalized(text, normalize)
                return ignoreCase ? normalized.lowercased() : normalized
            }
            let text = prepare(answer)
            let scored = references.map { reference -> (String, Double) in
                let rendered = prepare(reference.render(variables))
                return (rendered, TextSimilarity.levenshteinRatio(text, rendered))
            }
            let (closest, ratio) = scored.max { $0.1 < $1.1 } ?? ("", 0)
            return measured(ratio, name: "similarity", threshold: threshold,
                            against: references.count == 1 ? "to \(Self.quoted(closest))"
                                : "to \(Self.quoted(closest)), the closest of \(references.count) references")

        case .rougeL(let references, let threshold):
            let tokens = TextSimilarity.tokens(answer)
            let best = references.map { TextSimilarity.rougeL(tokens, TextSimilarity.tokens($0.render(variables))) }.max() ?? 0
            return measured(best, name: "ROUGE-L", threshold: threshold,
                            against: references.count == 1 ? "against the reference"
                                : "against the closest of \(references.count) references")

        case .bleu(let references, let threshold):
            let score = TextSimilarity.bleu(TextSimilarity.tokens(answer),
                                            references: references.map { TextSimilarity.tokens($0.render(variables)) })
            return measured(score, name: "BLEU", threshold: threshold,
                            against: references.count == 1 ? "against the reference"
                                : "against \(references.count) references")

        default:
            return .error("not a similarity grader")
        }
    }

    private func measured(_ value: Double, name: String, threshold: Double, against: String) -> Check {
        let passed = value + 1e-9 >= threshold
        return Check(passed, "\(name) \(Self.measure(value)) \(against) (passes from \(Self.measure(threshold)))",
                     score: value)
    }
}
