import Foundation

/// `numeric` (the final number, within tolerance) and `choice` (the option letter chosen).
extension Grader {
    func checkChoiceOrNumber(_ answer: String, variables: [String: String]) -> Check {
        switch spec.kind {
        case .numeric(let expected, let tolerance, let relativeTolerance):
            let expectedText = expected.render(variables)
            guard let want = NumberText.exact(expectedText) else {
                return .error("expected value \(Self.quoted(expectedText)) is not a number")
            }
            guard let got = NumberText.final(in: answer) else {
                return Check(false, "no number in \(Self.quoted(answer))")
            }
            let difference = abs(got.value - want.value)
            let allowed = max(tolerance, relativeTolerance * abs(want.value))
            // Binary fractions: 0.1 + 0.2 is 0.30000000000000004, which must still equal 0.3.
            let slack = 1e-9 * max(1, abs(want.value))
            let gotText = NumberText.short(got.value)
            let source = got.text == gotText ? "" : " (from \(Self.quoted(got.text)))"
            let wantText = NumberText.short(want.value)
            let extracted = NumberText.format(got.value)
            if difference <= allowed + slack {
                let within = difference > slack ? " within \(NumberText.short(allowed))" : ""
                return Check(true, "got \(gotText)\(source), expected \(wantText)\(within)", extracted: extracted)
            }
            let limit = allowed > 0 ? "; tolerance \(NumberText.short(allowed))" : ""
            return Check(false, "got \(gotText)\(source), expected \(wantText) (off by \(NumberText.short(difference))\(limit))",
                         extracted: extracted)

        case .choice(let expected, let options):
            let expectedText = expected.render(variables)
            let want = expectedText.trimmingCharacters(in: .whitespacesAndNewlines)
                .trimmingCharacters(in: CharacterSet(charactersIn: "()[].:")).uppercased()
            guard options.contains(want) else {
                return .error("expected choice \(Self.quoted(expectedText)) is not one of the options "
                              + Suggestions.list(options))
            }
            switch ChoiceText.read(answer, options: options) {
            case .chose(let letter):
                return letter == want ? Check(true, "chose \(letter), as expected", extracted: letter)
                    : Check(false, "chose \(letter), expected \(want)", extracted: letter)
            case .ambiguous(let letters):
                return Check(false, "names \(Suggestions.list(letters, conjunction: "and")): ambiguous, expected \(want)")
            case .none:
                return Check(false, "no option letter (\(Suggestions.list(options))) in \(Self.quoted(answer))")
            }

        default:
            return .error("not a number or choice grader")
        }
    }
}
