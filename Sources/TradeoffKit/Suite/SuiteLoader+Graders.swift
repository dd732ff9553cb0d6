import Foundation
import Yams

extension SuiteLoader.Session {
    /// The keys each grader type takes besides `type` and `weight`, and which are required.
    static let graderKeys: [String: (allowed: [String], required: [String])] = [
        "exact": (["expected", "normalize"], ["expected"]),
        "contains": (["value", "ignore_case"], ["value"]),
        "not-contains": (["value", "ignore_case"], ["value"]),
        "regex": (["pattern", "ignore_case"], ["pattern"]),
        "json-valid": ([], []),
    ]

    /// A grader and its templates (checked against the cases' variables).
    struct DecodedGrader {
        var spec: GraderSpec
        var templates: [TemplateSource]
    }

    /// The graders of a `graders:` list; a broken grader is reported and left out.
    mutating func decodeGraders(_ node: Node, in document: YAMLDocument) -> [DecodedGrader]? {
        guard case .sequence(let items) = node else {
            log.add(document.error("'graders' must be a list, got \(document.describe(node))", at: node))
            return nil
        }
        return items.compactMap { decodeGrader($0, in: document) }
    }

    private mutating func decodeGrader(_ node: Node, in document: YAMLDocument) -> DecodedGrader? {
        guard case .mapping(let mapping) = node else {
            log.add(document.error("grader must be a mapping like {type: exact, expected: ...}, got "
                                   + document.describe(node), at: node))
            return nil
        }
        guard let typeNode = mapping["type"] else {
            log.add(document.error("missing required key 'type' in grader", at: node))
            return nil
        }
        guard let type = document.text(typeNode, named: "type", log: &log) else { return nil }
        guard let keys = Self.graderKeys[type] else {
            let hint = Suggestions.hint(for: type, among: GraderSpec.typeNames)
            log.add(document.error("unknown grader type '\(type)'\(hint)", at: typeNode))
            return nil
        }
        let before = log.diagnostics.count
        guard let fields = document.fields(of: node, in: "'\(type)' grader", allowed: ["type", "weight"] + keys.allowed,
                                           required: keys.required, log: &log)
        else { return nil }
        let weight = document.number(fields, "weight", greaterThan: 0, log: &log) ?? 1

        let kind: GraderSpec.Kind
        var templates: [TemplateSource] = []
        switch type {
        case "exact":
            let expected = template(fields, "expected", in: document)
            let normalize = normalizations(fields["normalize"], in: document)
            guard let expected, let normalize else { return nil }
            templates = [expected]
            kind = .exact(expected: expected.template, normalize: normalize)
        case "contains", "not-contains":
            let value = template(fields, "value", in: document)
            let ignoreCase = document.bool(fields, "ignore_case", log: &log) ?? false
            guard let value else { return nil }
            templates = [value]
            kind = type == "contains" ? .contains(value: value.template, ignoreCase: ignoreCase)
                : .notContains(value: value.template, ignoreCase: ignoreCase)
        case "regex":
            let pattern = regexPattern(fields, in: document)
            let ignoreCase = document.bool(fields, "ignore_case", log: &log) ?? false
            guard let pattern else { return nil }
            kind = .regex(pattern: pattern, ignoreCase: ignoreCase)
        default:
            kind = .jsonValid
        }
        guard log.diagnostics.count == before else { return nil }
        return DecodedGrader(spec: GraderSpec(kind, weight: weight), templates: templates)
    }

    /// `normalize:` as a list (or a single name); empty when absent.
    private mutating func normalizations(_ node: Node?, in document: YAMLDocument) -> [Normalization]? {
        guard let node else { return [] }
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar: items = [node]
        default:
            log.add(document.error("'normalize' must be a list, got \(document.describe(node))", at: node))
            return nil
        }
        var result: [Normalization] = []
        var valid = true
        for item in items {
            guard let name = document.text(item, named: "normalize", log: &log) else { valid = false; continue }
            guard let normalization = Normalization(rawValue: name) else {
                let hint = Suggestions.hint(for: name, among: Normalization.allCases.map(\.rawValue))
                log.add(document.error("unknown normalization '\(name)'\(hint)", at: item))
                valid = false
                continue
            }
            result.append(normalization)
        }
        return valid ? result : nil
    }

    /// `pattern:`, which must compile with NSRegularExpression (the grader's engine).
    private mutating func regexPattern(_ fields: YAMLFields, in document: YAMLDocument) -> String? {
        guard let node = fields["pattern"], let pattern = document.text(node, named: "pattern", log: &log) else {
            return nil
        }
        do {
            _ = try NSRegularExpression(pattern: pattern)
            return pattern
        } catch {
            log.add(document.error("invalid regex '\(pattern)': \(Self.regexProblem(pattern, error))", at: node))
            return nil
        }
    }

    /// Why a pattern does not compile. Foundation on Linux only says "The value is invalid", so
    /// ask Swift's regex parser, which names the problem ("expected ')'"), when it agrees.
    private static func regexProblem(_ pattern: String, _ error: any Error) -> String {
        do {
            _ = try Regex(pattern)
        } catch {
            return String(describing: error)
        }
        let error = error as NSError
        return error.localizedFailureReason ?? error.localizedDescription
    }
}
