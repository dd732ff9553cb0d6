import Foundation

/// Similarity measures between an answer and reference texts, each in 0...1.
enum TextSimilarity {
    /// `1 − Levenshtein distance / length of the longer text`, over characters (grapheme
    /// clusters, so `é` written either way is one character); 1 for two empty texts.
    static func levenshteinRatio(_ a: String, _ b: String) -> Double {
        let a = Array(a), b = Array(b)
        let longer = max(a.count, b.count)
        guard longer > 0 else { return 1 }
        return 1 - Double(editDistance(a, b)) / Double(longer)
    }

    /// Lowercased runs of letters and digits: the tokens ROUGE and BLEU count.
    static func tokens(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// ROUGE-L F1: precision and recall of the longest common subsequence of tokens, combined
    /// with β = 1. 0 when either side has no tokens (1 when both have none).
    static func rougeL(_ candidate: [String], _ reference: [String]) -> Double {
        if candidate.isEmpty && reference.isEmpty { return 1 }
        guard !candidate.isEmpty, !reference.isEmpty else { return 0 }
        let lcs = Double(longestCommonSubsequence(candidate, reference))
        guard lcs > 0 else { return 0 }
        let precision = lcs / Double(candidate.count), recall = lcs / Double(reference.count)
        return 2 * precision * recall / (precision + recall)
    }

    static func longestCommonSubsequence(_ a: [String], _ b: [String]) -> Int {
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for i in 1...a.count {
            for j in 1...b.count {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Sentence BLEU-4 (Papineni et al. 2002) against one or more references: clipped n-gram
    /// precisions for n = 1...4 combined by a geometric mean, times the brevity penalty against
    /// the reference closest in length. Precisions for n ≥ 2 are smoothed by adding 1 to their
    /// numerator and denominator (Lin & Och 2004; NLTK's `method2`), so a short answer without
    /// a matching 4-gram does not score 0. 0 when no unigram matches.
    static func bleu(_ candidate: [String], references: [[String]], maxOrder: Int = 4) -> Double {
        guard !candidate.isEmpty, !references.isEmpty else { return 0 }
        var logSum = 0.0
        for order in 1...maxOrder {
            let counts = ngrams(candidate, order)
            var maxReferenceCounts: [ArraySlice<String>: Int] = [:]
            for reference in references {
                for (gram, count) in ngrams(reference, order) {
                    maxReferenceCounts[gram] = max(maxReferenceCounts[gram] ?? 0, count)
                }
            }
            let clipped = counts.reduce(0) { $0 + min($1.value, maxReferenceCounts[$1.key] ?? 0) }
            let total = max(0, candidate.count - order + 1)
            var precision: Double
            if order == 1 {
                guard clipped > 0 else { return 0 }
                precision = Double(clipped) / Double(total)
            } else {
                precision = Double(clipped + 1) / Double(total + 1)
            }
            logSum += log(precision) / Double(maxOrder)
        }
        let length = candidate.count
        // The closest reference length; ties go to the shorter reference.
        let closest = references.map(\.count).min { a, b in
            abs(a - length) != abs(b - length) ? abs(a - length) < abs(b - length) : a < b
        } ?? length
        let brevity = length >= closest ? 1 : exp(1 - Double(closest) / Double(length))
        return min(1, brevity * exp(logSum))
    }

    private static func ngrams(_ tokens: [String], _ order: Int) -> [ArraySlice<String>: Int] {
        guard tokens.count >= order else { return [:] }
        var counts: [ArraySlice<String>: Int] = [:]
        for start in 0...(tokens.count - order) { counts[tokens[start..<start + order], default: 0] += 1 }
        return counts
    }
}
