extension RegexCheck {
    /// The first group of `pattern` that repeats something itself repeated — `(x+x+)+`,
    /// `(\w+\s?)*`, `(?:a*b*)+` — written as in the pattern with its quantifier; nil when
    /// there is none. On an answer that almost matches, a backtracking engine tries every way of
    /// splitting the text between the repeats: exponential time. Atomic groups `(?>...)` and
    /// possessive quantifiers (`x++`) do not backtrack and are not reported. A heuristic for a
    /// warning: some nested repeats are harmless (`(ab+)+`), and other slow shapes exist.
    static func nestedRepeat(in pattern: String) -> String? {
        let characters = Array(pattern)
        struct Group {
            var start: Int
            var atomic: Bool
            var repeatsInside = false
        }
        var groups: [Group] = []
        var index = 0

        /// The unbounded quantifier (`+`, `*`, `{n,}`; lazy or possessive) at `position`: its length
        /// and whether it is possessive; nil for none.
        func unboundedQuantifier(at position: Int) -> (length: Int, possessive: Bool)? {
            guard position < characters.count else { return nil }
            var end: Int
            switch characters[position] {
            case "+", "*":
                end = position + 1
            case "{":
                guard let close = characters[position...].firstIndex(of: "}"), close > position + 1,
                      characters[(position + 1)..<close].last == ",",
                      characters[(position + 1)..<(close - 1)].allSatisfy(\.isNumber) else { return nil }
                end = close + 1
            default:
                return nil
            }
            let possessive = end < characters.count && characters[end] == "+"
            if end < characters.count, characters[end] == "?" || characters[end] == "+" { end += 1 }
            return (end - position, possessive)
        }

        /// Just past the character class opening at `start` (a class is one atom).
        func endOfClass(from start: Int) -> Int {
            var at = start, depth = 0
            while at < characters.count {
                switch characters[at] {
                case "\\":
                    at += 1
                case "[":
                    depth += 1
                    // `[]...]` and `[^]...]`: a `]` first in a class is literal.
                    if at + 1 < characters.count, characters[at + 1] == "^" { at += 1 }
                    if at + 1 < characters.count, characters[at + 1] == "]" { at += 1 }
                case "]":
                    depth -= 1
                    if depth == 0 { return at + 1 }
                default:
                    break
                }
                at += 1
            }
            return characters.count
        }

        func noteRepeat() {
            if !groups.isEmpty { groups[groups.count - 1].repeatsInside = true }
        }

        while index < characters.count {
            switch characters[index] {
            case "\\":
                if index + 1 < characters.count, characters[index + 1] == "Q" {
                    // \Q...\E is literal text.
                    index += 2
                    while index < characters.count, !(characters[index] == "\\" && index + 1 < characters.count
                                                     && characters[index + 1] == "E") { index += 1 }
                    index += 2
                } else {
                    index += 2
                }
                continue
            case "[":
                index = endOfClass(from: index)
                continue
            case "(":
                if characters[index...].starts(with: "(?#") {
                    index = (characters[index...].firstIndex(of: ")") ?? characters.count - 1) + 1
                    continue
                }
                groups.append(Group(start: index, atomic: characters[index...].starts(with: "(?>")))
                index += 1
                continue
            case ")":
                guard let group = groups.popLast() else { break }
                if let quantifier = unboundedQuantifier(at: index + 1) {
                    let end = index + 1 + quantifier.length
                    if group.repeatsInside, !group.atomic, !quantifier.possessive {
                        return String(characters[group.start..<end])
                    }
                    index = end
                    noteRepeat()
                    continue
                }
                if group.repeatsInside && !group.atomic { noteRepeat() }
            default:
                if let quantifier = unboundedQuantifier(at: index), index > 0 {
                    if !quantifier.possessive { noteRepeat() }
                    index += quantifier.length
                    continue
                }
            }
            index += 1
        }
        return nil
    }
}
