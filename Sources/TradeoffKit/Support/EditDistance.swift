/// Levenshtein distance: the fewest inserts, deletes and substitutions (each costing 1) that
/// turn `a` into `b`. Two rows of memory, the shorter side's length.
///
/// The one implementation behind "did you mean" suggestions (over characters) and the
/// `similarity` grader (over grapheme clusters).
func editDistance<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
    // The rows run over the shorter side.
    let (a, b) = a.count >= b.count ? (a, b) : (b, a)
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
