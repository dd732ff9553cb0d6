import Foundation

/// Text graders: exact, contains (any, all, not), starts-with, regex, one-of, length.
extension Grader {
    func checkText(_ answer: String, variables: [String: String]) -> Check {
        switch spec.kind {
        case .exact(let expected, let normalize):
            let want = Self.normalized(expected.render(variables), normalize)
            let got = Self.normalized(answer, normalize)
            let how = Normalization.phrase(normalize)
            return got == want
                ? Check(true, "matches \(Self.quoted(want))\(how)")
                : Check(false, "expected \(Self.quoted(want)), got \(Self.quoted(got))\(how)")

        case .contains(let value, let ignoreCase, let normalize):
            let needle = Self.normalized(value.render(variables), normalize)
            let found = Self.contains(Self.normalized(answer, normalize), needle, ignoreCase: ignoreCase)
            let how = Normalization.phrase(normalize)
            return Check(found, (found ? "contains " : "does not contain ") + Self.quoted(needle) + how)

        case .notContains(let value, let ignoreCase, let normalize):
            let needle = Self.normalized(value.render(variables), normalize)
            let found = Self.contains(Self.normalized(answer, normalize), needle, ignoreCase: ignoreCase)
            let how = Normalization.phrase(normalize)
            return Check(!found, found ? "contains \(Self.quoted(needle)), which it must not\(how)"
                                       : "does not contain \(Self.quoted(needle))\(how)")

        case .containsAny(let values, let ignoreCase, let normalize):
            let text = Self.normalized(answer, normalize)
            let needles = values.map { Self.normalized($0.render(variables), normalize) }
            let how = Normalization.phrase(normalize)
            if let hit = needles.first(where: { Self.contains(text, $0, ignoreCase: ignoreCase) }) {
                return Check(true, "contains \(Self.quoted(hit))\(how)")
            }
            return Check(false, "contains none of \(Self.quotedList(needles))\(how)")

        case .containsAll(let values, let ignoreCase, let normalize):
            let text = Self.normalized(answer, normalize)
            let needles = values.map { Self.normalized($0.render(variables), normalize) }
            let missing = needles.filter { !Self.contains(text, $0, ignoreCase: ignoreCase) }
            let how = Normalization.phrase(normalize)
            guard missing.isEmpty else {
                return Check(false, "missing \(Self.quotedList(missing)) (\(needles.count - missing.count) of "
                                    + "\(needles.count) found)\(how)")
            }
            return Check(true, "contains all \(needles.count) values\(how)")

        case .startsWith(let value, let ignoreCase, let normalize):
            let prefix = Self.normalized(value.render(variables), normalize)
            let text = Self.normalized(answer, normalize)
            let starts = ignoreCase ? text.lowercased().hasPrefix(prefix.lowercased()) : text.hasPrefix(prefix)
            let how = Normalization.phrase(normalize)
            return starts ? Check(true, "starts with \(Self.quoted(prefix))\(how)")
                : Check(false, "starts with \(Self.quoted(String(text.prefix(max(prefix.count, 1))))), not "
                               + "\(Self.quoted(prefix))\(how)")

        case .regex(let pattern, _, _, let normalize):
            let text = Self.normalized(answer, normalize)
            let match: NSTextCheckingResult
            // `regex` is set for every regex grader: `init` throws when the pattern does not compile.
            switch regex.map({ RegexMatch.first(of: $0, in: text) }) ?? .noMatch {
            case .found(let found): match = found
            case .noMatch: return Check(false, "no match for /\(pattern)/\(Normalization.phrase(normalize))")
            case .gaveUp:
                return .error("/\(pattern)/ gave up after \(NumberText.format(RegexMatch.timeLimit)) s of matching a "
                              + "\(text.count)-character answer: the pattern backtracks too much (nested "
                              + "quantifiers like (a+)+ can take exponential time)")
            }
            guard let matched = Range(match.range, in: text) else {
                return Check(false, "no match for /\(pattern)/\(Normalization.phrase(normalize))")
            }
            var captures: [String: String] = [:]
            for name in captureNames {
                if let range = Range(match.range(withName: name), in: text) { captures[name] = String(text[range]) }
            }
            var reason = "/\(pattern)/ matched \(Self.quoted(String(text[matched])))"
            if !captures.isEmpty {
                reason += " (" + captureNames.compactMap { name in captures[name].map { "\(name) = \(Self.quoted($0))" } }
                    .joined(separator: ", ") + ")"
            }
            var check = Check(true, reason)
            check.captures = captures
            return check

        case .oneOf(let labels, let expected, let ignoreCase, let normalize):
            return checkOneOf(answer, labels: labels.map { Self.normalized($0.render(variables), normalize) },
                              expected: expected.map { Self.normalized($0.render(variables), normalize) },
                              ignoreCase: ignoreCase, normalize: normalize)

        case .length(let minimum, let maximum, let unit, let normalize):
            let text = Self.normalized(answer, normalize)
            let count = unit == .characters ? text.count : text.split(whereSeparator: \.isWhitespace).count
            let noun = count == 1 ? String(unit.rawValue.dropLast()) : unit.rawValue
            if let minimum, count < minimum { return Check(false, "\(count) \(noun), fewer than the minimum \(minimum)") }
            if let maximum, count > maximum { return Check(false, "\(count) \(noun), more than the maximum \(maximum)") }
            let bounds = switch (minimum, maximum) {
            case let (low?, high?): "within \(low)–\(high)"
            case let (low?, nil): "at least \(low)"
            case let (nil, high?): "at most \(high)"
            case (nil, nil): "no limit"
            }
            return Check(true, "\(count) \(noun), \(bounds)")

        default:
            return .error("not a text grader")
        }
    }

    /// One label, named as a whole word; a label inside a longer one found (`bug` in `bug report`)
    /// does not count twice.
    private func checkOneOf(_ answer: String, labels: [String], expected: String?, ignoreCase: Bool,
                            normalize: [Normalization]) -> Check {
        let text = Self.normalized(answer, normalize)
        var hits: [(label: String, range: NSRange)] = []
        for label in labels where !label.isEmpty {
            let escaped = NSRegularExpression.escapedPattern(for: label)
            guard let regex = try? NSRegularExpression(pattern: #"(?<![\p{L}\p{N}_])"# + escaped + #"(?![\p{L}\p{N}_])"#,
                                                       options: ignoreCase ? [.caseInsensitive] : []) else { continue }
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                hits.append((label, match.range))
            }
        }
        let outer = hits.filter { hit in
            !hits.contains { other in
                other.label != hit.label && NSIntersectionRange(other.range, hit.range).length == hit.range.length
                    && other.range.length > hit.range.length
            }
        }
        var named: [String] = []
        for hit in outer where !named.contains(hit.label) { named.append(hit.label) }
        let how = Normalization.phrase(normalize)
        guard named.count == 1, let label = named.first else {
            if named.isEmpty { return Check(false, "names none of the labels \(Self.quotedList(labels))\(how)") }
            return Check(false, "names \(named.count) labels (\(Self.quotedList(named))), not exactly one\(how)")
        }
        guard let expected else { return Check(true, "names \(Self.quoted(label))\(how)", extracted: label) }
        let matches = ignoreCase ? label.lowercased() == expected.lowercased() : label == expected
        return matches ? Check(true, "names \(Self.quoted(label)), as expected\(how)", extracted: label)
            : Check(false, "names \(Self.quoted(label)), expected \(Self.quoted(expected))\(how)", extracted: label)
    }

    static func contains(_ text: String, _ needle: String, ignoreCase: Bool) -> Bool {
        ignoreCase ? text.range(of: needle, options: [.caseInsensitive]) != nil : text.contains(needle)
    }

    /// `'a', 'b' and 'c'`, the first five.
    static func quotedList(_ values: [String]) -> String {
        let shown = values.prefix(5).map(quoted)
        guard values.count > 5 else { return Suggestions.list(shown, conjunction: "and") }
        return shown.joined(separator: ", ") + " and \(values.count - 5) more"
    }
}
