import Foundation
import TradeoffKit

/// What one case of a suite expects, read off its graders, and how a model gets it wrong.
///
/// The first grader that pins the answer decides (`not: true` graders pin nothing): `exact`,
/// `numeric`, `choice`, `one-of` with `expected`, the JSON graders (`json-path` with `equals`,
/// `json-schema`, `json-valid`: an object built from them), then the references of `similarity`,
/// `rouge-l`, `bleu`, then `contains-all`, `contains`, `starts-with`, `contains-any`, then a
/// judge's `reference`.
enum ExpectedAnswer: Sendable, Hashable {
    /// A number; a wrong answer lies outside the tolerances.
    case number(Double, text: String, tolerance: Double, relativeTolerance: Double)
    /// An option letter among `options`.
    case choice(String, options: [String])
    /// A label among `labels`.
    case label(String, labels: [String])
    /// Text; a wrong answer drops one letter or digit.
    case text(String)
    /// Free text scored by likeness (`similarity`, `rouge-l`, `bleu`); a wrong answer is a shrug.
    case prose(String)
    /// A JSON object; a wrong answer changes one field. `checked` are the paths graders compare.
    case json(ExpectedJSON)

    /// The expected answer of a case, or nil when no grader pins one.
    ///
    /// - Parameters:
    ///   - graders: The case's graders: its task's, then its own.
    ///   - variables: The case's variables, which fill the graders' templates.
    init?(graders: [GraderSpec], variables: [String: String]) {
        let graders = graders.filter { !$0.negated && $0.input == nil }
        func render(_ template: Template) -> String { template.render(variables) }
        for grader in graders {
            switch grader.kind {
            case .exact(let expected, _):
                self = .text(render(expected)); return
            case .numeric(let expected, let tolerance, let relative):
                let text = render(expected).trimmingCharacters(in: .whitespaces)
                guard let value = Double(text) else { continue }
                self = .number(value, text: text, tolerance: tolerance, relativeTolerance: relative); return
            case .choice(let expected, let options):
                self = .choice(render(expected), options: options); return
            case .oneOf(let labels, let expected?, _, _):
                self = .label(render(expected), labels: labels.map(render)); return
            default:
                continue
            }
        }
        if let json = ExpectedJSON(graders: graders, variables: variables) {
            self = .json(json); return
        }
        for grader in graders {
            switch grader.kind {
            case .similarity(let references, _, _, _), .rougeL(let references, _), .bleu(let references, _):
                guard let first = references.first else { continue }
                self = .prose(render(first)); return
            default:
                continue
            }
        }
        for grader in graders {
            switch grader.kind {
            case .containsAll(let values, _, _) where !values.isEmpty:
                self = .text(values.map(render).joined(separator: " ")); return
            case .contains(let value, _, _), .startsWith(let value, _, _):
                self = .text(render(value)); return
            case .containsAny(let values, _, _):
                guard let first = values.first else { continue }
                self = .text(render(first)); return
            case .judge(let spec):
                guard let reference = spec.reference else { continue }
                self = .text(render(reference)); return
            default:
                continue
            }
        }
        return nil
    }

    /// The answer a right model gives: the expected value alone, so every grader reads it.
    var right: String {
        switch self {
        case .number(_, let text, _, _): text
        case .choice(let letter, _): letter
        case .label(let label, _): label
        case .text(let text), .prose(let text): text
        case .json(let json): json.text(json.value)
        }
    }

    /// A plausible wrong answer; `variation` (from a hash) picks which one.
    func wrong(variation: UInt64) -> String {
        switch self {
        case .number(let value, let text, let tolerance, let relative):
            // A near number, just past the larger tolerance (graders accept the edge itself).
            let margin = max(tolerance, abs(value) * relative)
            let step = margin > 0 ? margin * Double(2 + variation % 3) : Double(1 + variation % 9)
            let wrong = variation & 0x100 == 0 ? value + step : value - step
            return Self.format(wrong, like: text)
        case .choice(let letter, let options):
            return Self.another(than: letter, in: options, variation: variation) ?? "none"
        case .label(let label, let labels):
            return Self.another(than: label, in: labels, variation: variation) ?? "none"
        case .text(let text):
            return Self.perturbed(text, variation: variation)
        case .prose:
            return "I'm not sure."
        case .json(let json):
            return json.text(json.wrong(variation: variation))
        }
    }

    /// `value` written as `like` is: an integer when `like` has no decimal point, else with
    /// ten significant digits at most (`10.53`, not `10.530000000000001`).
    static func format(_ value: Double, like: String) -> String {
        if !like.contains("."), !like.lowercased().contains("e"), value.rounded() == value, abs(value) < 1e15 {
            return String(Int(value))
        }
        return String(format: "%.10g", value)
    }

    /// Another element of `candidates` than `chosen`, or nil when there is none.
    static func another(than chosen: String, in candidates: [String], variation: UInt64) -> String? {
        let others = candidates.filter { $0.lowercased() != chosen.lowercased() }
        return others.isEmpty ? nil : others[Int(variation % UInt64(others.count))]
    }

    /// `text` with one letter or digit dropped (a careless copy), so that no normalization
    /// (case, whitespace, punctuation) makes it equal again; `x` appended to a one-letter text.
    static func perturbed(_ text: String, variation: UInt64) -> String {
        var characters = Array(text)
        let positions = characters.indices.filter { characters[$0].isLetter || characters[$0].isNumber }
        guard positions.count > 1 else { return text + "x" }
        characters.remove(at: positions[Int(variation % UInt64(positions.count))])
        return String(characters)
    }
}
