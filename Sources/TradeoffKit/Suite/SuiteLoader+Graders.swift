import Foundation
import Yams

extension SuiteLoader.Session {
    /// A grader and its templates (checked against the cases' variables).
    struct DecodedGrader {
        var spec: GraderSpec
        var templates: [TemplateSource]
        /// The grader's `type:` value, to point at the grader in suite-wide checks.
        var typeNode: Node?
    }

    /// The graders of a `graders:` list; a broken grader is reported and left out.
    mutating func decodeGraders(_ node: Node, in document: YAMLDocument) -> [DecodedGrader]? {
        guard case .sequence(let items) = node else {
            log.add(document.error("'graders' must be a list, got \(document.describe(node))", at: node))
            return nil
        }
        // Named groups of the regexes so far: variables of the graders after them.
        var captures: [String] = []
        return items.compactMap { item in
            let decoded = decodeGrader(item, in: document, captures: captures)
            if case .regex(let pattern, _, _, _)? = decoded?.spec.kind { captures += Grader.groupNames(in: pattern) }
            return decoded
        }
    }

    private mutating func decodeGrader(_ node: Node, in document: YAMLDocument, captures: [String]) -> DecodedGrader? {
        guard case .mapping(let mapping) = node else {
            log.add(document.error("grader must be a mapping like {type: exact, expected: ...}, got "
                                   + document.describe(node), at: node))
            return nil
        }
        guard let typeNode = mapping["type"] else {
            log.add(document.error("missing required key 'type' in grader", at: node))
            return nil
        }
        guard let name = document.text(typeNode, named: "type", log: &log) else { return nil }
        guard let type = GraderType(rawValue: name) else {
            let hint = Suggestions.hint(for: name, among: GraderSpec.typeNames)
            log.add(document.error("unknown grader type '\(name)'\(hint)", at: typeNode))
            return nil
        }
        let before = log.diagnostics.count
        let keys = type.keys
        guard let fields = document.fields(of: node, in: "'\(type.rawValue)' grader", allowed: GraderType.commonKeys + keys.allowed,
                                           required: keys.required, log: &log)
        else { return nil }
        let weight = document.number(fields, "weight", greaterThan: 0, log: &log) ?? 1
        let negated = document.bool(fields, "not", log: &log) ?? false
        let metric = document.name(fields, "metric", log: &log)
        var input: String?
        if let node = fields["on"], let name = document.name(fields, "on", log: &log) {
            if captures.contains(name) {
                input = name
            } else if captures.isEmpty {
                log.add(document.error("'on' names '\(name)', but no regex before this grader has a named group "
                                       + "like (?<\(name)>...)", at: node))
            } else {
                log.add(document.error("'on' names '\(name)', which no regex before this grader captures"
                                       + Suggestions.hint(for: name, among: captures), at: node))
            }
        }
        let extractJSON = extraction(fields, in: document)

        var decoder = GraderFields(fields: fields, document: document, captures: Set(captures))
        let kind = decodeKind(type, &decoder)
        let online = document.bool(fields, "online", log: &log) ?? false
        if online, let node = fields["online"] {
            checkOnline(type, templates: decoder.templates, captures: captures, hasReference: fields["reference"] != nil,
                        at: node, in: document)
        }
        guard log.diagnostics.count == before, let kind else { return nil }
        var spec = GraderSpec(kind, weight: weight, negated: negated, metric: metric, input: input, extractJSON: extractJSON)
        spec.online = online
        return DecodedGrader(spec: spec, templates: decoder.templates, typeNode: typeNode)
    }

    /// The fields of one grader and the templates read from them so far.
    struct GraderFields {
        var fields: YAMLFields
        var document: YAMLDocument
        /// Capture names available to this grader: placeholders naming them are not case variables.
        var captures: Set<String>
        var templates: [TemplateSource] = []

        subscript(key: String) -> Node? { fields[key] }
    }

    private mutating func decodeKind(_ type: GraderType, _ grader: inout GraderFields) -> GraderSpec.Kind? {
        let fields = grader.fields, document = grader.document
        func ignoreCase() -> Bool { document.bool(fields, "ignore_case", log: &log) ?? false }
        switch type {
        case .exact:
            let expected = template("expected", &grader)
            var normalize = normalizations(fields["normalize"], in: document)
            if document.bool(fields, "ignore_case", log: &log) == true, normalize?.contains(.lowercase) == false {
                normalize?.append(.lowercase)
            }
            guard let expected, let normalize else { return nil }
            return .exact(expected: expected, normalize: normalize)
        case .contains, .notContains, .startsWith:
            let value = template("value", &grader)
            let ignoreCase = ignoreCase()
            guard let value, let normalize = normalizations(fields["normalize"], in: document) else { return nil }
            switch type {
            case .contains: return .contains(value: value, ignoreCase: ignoreCase, normalize: normalize)
            case .notContains: return .notContains(value: value, ignoreCase: ignoreCase, normalize: normalize)
            default: return .startsWith(value: value, ignoreCase: ignoreCase, normalize: normalize)
            }
        case .containsAny, .containsAll:
            let values = templates("values", &grader, atLeast: 1)
            let ignoreCase = ignoreCase()
            guard let values, let normalize = normalizations(fields["normalize"], in: document) else { return nil }
            return type == .containsAny ? .containsAny(values: values, ignoreCase: ignoreCase, normalize: normalize)
                : .containsAll(values: values, ignoreCase: ignoreCase, normalize: normalize)
        case .regex:
            let ignoreCase = ignoreCase()
            let flags = regexFlags(fields["flags"], in: document)
            guard let flags else { return nil }
            let pattern = regexPattern(fields, in: document, options: Grader.options(ignoreCase: ignoreCase, flags: flags))
            guard let pattern, let normalize = normalizations(fields["normalize"], in: document) else { return nil }
            return .regex(pattern: pattern, ignoreCase: ignoreCase, flags: flags, normalize: normalize)
        case .oneOf:
            let labels = templates("labels", &grader, atLeast: 2)
            let expected = fields["expected"] == nil ? nil : template("expected", &grader)
            let ignoreCase = ignoreCase()
            guard let labels, fields["expected"] == nil || expected != nil,
                  let normalize = normalizations(fields["normalize"], in: document) else { return nil }
            return .oneOf(labels: labels, expected: expected, ignoreCase: ignoreCase, normalize: normalize)
        case .length:
            return lengthKind(&grader)
        case .numeric:
            let expected = template("expected", &grader)
            let tolerance = document.decimal(fields, "tolerance", log: &log)
            let relative = document.decimal(fields, "relative_tolerance", log: &log)
            guard let expected else { return nil }
            if expected.placeholders.isEmpty, NumberText.exact(expected.source) == nil, let node = fields["expected"] {
                log.add(document.error("'expected' must be a number, got \(document.describe(node))", at: node))
                return nil
            }
            return .numeric(expected: expected, tolerance: tolerance.map(Self.double) ?? 0,
                            relativeTolerance: relative.map(Self.double) ?? 0)
        case .choice:
            return choiceKind(&grader)
        case .jsonValid:
            return .jsonValid
        case .jsonSchema:
            return schemaKind(fields, in: document).map(GraderSpec.Kind.jsonSchema)
        case .jsonPath:
            return jsonPathKind(&grader)
        case .similarity, .rougeL, .bleu:
            let references = referenceTemplates(&grader, type: type)
            let threshold = document.number(fields, "threshold", in: 0...1, log: &log) ?? (type == .similarity ? 0.8 : 0.5)
            switch type {
            case .similarity:
                let ignoreCase = ignoreCase()
                guard let references, let normalize = normalizations(fields["normalize"], in: document) else { return nil }
                return .similarity(references: references, threshold: threshold, ignoreCase: ignoreCase, normalize: normalize)
            case .rougeL:
                return references.map { .rougeL(references: $0, threshold: threshold) }
            default:
                return references.map { .bleu(references: $0, threshold: threshold) }
            }
        case .judge:
            return judgeKind(&grader).map(GraderSpec.Kind.judge)
        case .command:
            return commandKind(&grader).map(GraderSpec.Kind.command)
        case .toolCall, .noToolCall, .toolCallCount:
            return toolGraderKind(type, &grader)
        case .confidence:
            // `min` is required (the registry says so): a missing one is reported already.
            return document.number(fields, "min", in: 0...1, log: &log).map { .confidence(min: $0) }
        case .notRefusal:
            return refusalKind(fields, in: document)
        }
    }

    // MARK: Values

    /// A template value; its placeholders (except capture names) are checked against the cases.
    mutating func template(_ key: String, _ grader: inout GraderFields) -> Template? {
        guard let source = template(grader.fields, key, in: grader.document) else { return nil }
        grader.templates.append(Self.checked(source, excluding: grader.captures))
        return source.template
    }

    /// A list of template values (a single value counts as a list of one).
    mutating func templates(_ key: String, _ grader: inout GraderFields, atLeast minimum: Int) -> [Template]? {
        guard let node = grader.fields[key] else { return nil }
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar: items = [node]
        default:
            log.add(grader.document.error("'\(key)' must be a list, got \(grader.document.describe(node))", at: node))
            return nil
        }
        guard items.count >= minimum else {
            let noun = minimum == 1 ? "one value" : "\(minimum) values"
            log.add(grader.document.error("'\(key)' must list at least \(noun)", at: node))
            return nil
        }
        var result: [Template] = []
        for item in items {
            guard let text = grader.document.text(item, named: key, log: &log) else { return nil }
            let source = template(text, at: item, in: grader.document)
            grader.templates.append(Self.checked(source, excluding: grader.captures))
            result.append(source.template)
        }
        return result
    }

    /// `expected:` (one reference) or `references:` (a list): exactly one of them.
    private mutating func referenceTemplates(_ grader: inout GraderFields, type: GraderType) -> [Template]? {
        switch (grader["expected"], grader["references"]) {
        case (_?, let second?):
            log.add(grader.document.error("give 'expected' or 'references', not both", at: second))
            return nil
        case (_?, nil):
            return template("expected", &grader).map { [$0] }
        case (nil, _?):
            return templates("references", &grader, atLeast: 1)
        case (nil, nil):
            log.add(grader.document.error("missing required key 'expected' (or 'references') in '\(type.rawValue)' grader",
                                          at: grader.fields.node))
            return nil
        }
    }

    /// A template whose placeholders naming captures are left out, for the case-variable check.
    static func checked(_ source: TemplateSource, excluding captures: Set<String>) -> TemplateSource {
        let names = source.template.placeholders.filter { !captures.contains($0) }
        guard names.count != source.template.placeholders.count else { return source }
        return TemplateSource(template: Template(names.map { "{{\($0)}}" }.joined()), node: source.node)
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

    /// `flags: ms`: letters among i, m, s and x (`i` is `ignore_case`).
    private mutating func regexFlags(_ node: Node?, in document: YAMLDocument) -> RegexFlags? {
        guard let node else { return [] }
        guard let text = document.text(node, named: "flags", log: &log) else { return nil }
        var flags: RegexFlags = []
        for letter in text where letter != " " {
            switch letter {
            case "m": flags.insert(.multiline)
            case "s": flags.insert(.dotMatchesLineSeparators)
            case "x": flags.insert(.extended)
            case "i": log.add(document.error("use 'ignore_case: true' for the flag 'i'", at: node)); return nil
            default:
                log.add(document.error("unknown regex flag '\(letter)' in 'flags' (expected m, s or x)", at: node))
                return nil
            }
        }
        return flags
    }

    /// `pattern:`, which must compile with NSRegularExpression (the grader's engine).
    private mutating func regexPattern(_ fields: YAMLFields, in document: YAMLDocument,
                                       options: NSRegularExpression.Options) -> String? {
        guard let node = fields["pattern"], let pattern = document.text(node, named: "pattern", log: &log) else {
            return nil
        }
        return checkRegex(pattern, at: node, in: document, options: options) ? pattern : nil
    }

    /// `extract: json`.
    private mutating func extraction(_ fields: YAMLFields, in document: YAMLDocument) -> Bool {
        guard let node = fields["extract"], let text = document.text(node, named: "extract", log: &log) else { return false }
        guard text == "json" else {
            log.add(document.error("'extract' must be 'json', got \(document.describe(node))", at: node))
            return false
        }
        return true
    }

    private mutating func lengthKind(_ grader: inout GraderFields) -> GraderSpec.Kind? {
        let fields = grader.fields, document = grader.document
        let minimum = document.integer(fields, "min", atLeast: 0, log: &log)
        let maximum = document.integer(fields, "max", atLeast: 0, log: &log)
        var unit = LengthUnit.characters
        if let node = fields["unit"], let text = document.text(node, named: "unit", log: &log) {
            guard let given = LengthUnit(rawValue: text) else {
                log.add(document.error("unknown unit '\(text)'\(Suggestions.hint(for: text, among: LengthUnit.allCases.map(\.rawValue)))",
                                       at: node))
                return nil
            }
            unit = given
        }
        guard let normalize = normalizations(fields["normalize"], in: document) else { return nil }
        if fields["min"] == nil && fields["max"] == nil {
            log.add(document.error("'length' grader needs 'min', 'max' or both", at: fields.node))
            return nil
        }
        if let minimum, let maximum, minimum > maximum, let node = fields["max"] {
            log.add(document.error("'max' (\(maximum)) is less than 'min' (\(minimum))", at: node))
            return nil
        }
        return .length(min: minimum, max: maximum, unit: unit, normalize: normalize)
    }

    private mutating func choiceKind(_ grader: inout GraderFields) -> GraderSpec.Kind? {
        let fields = grader.fields, document = grader.document
        var options = ["A", "B", "C", "D", "E"]
        if let node = fields["options"] {
            guard let items = document.sequence(fields, "options", log: &log) else { return nil }
            var letters: [String] = []
            for item in items {
                guard let text = document.text(item, named: "options", log: &log) else { return nil }
                let letter = text.uppercased()
                guard letter.count == 1, letter.first!.isLetter, letter.first!.isASCII else {
                    log.add(document.error("each option must be one letter A-Z, got \(document.describe(item))", at: item))
                    return nil
                }
                guard !letters.contains(letter) else {
                    log.add(document.error("option '\(letter)' is listed twice", at: item))
                    return nil
                }
                letters.append(letter)
            }
            guard letters.count >= 2 else {
                log.add(document.error("'options' must list at least 2 letters", at: node))
                return nil
            }
            options = letters
        }
        guard let expected = template("expected", &grader) else { return nil }
        if expected.placeholders.isEmpty, let node = fields["expected"] {
            let letter = expected.source.trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "()[].:")).uppercased()
            guard options.contains(letter) else {
                log.add(document.error("'expected' must be one of the options \(Suggestions.list(options)), got "
                                       + document.describe(node), at: node))
                return nil
            }
        }
        return .choice(expected: expected, options: options)
    }

    private mutating func jsonPathKind(_ grader: inout GraderFields) -> GraderSpec.Kind? {
        let fields = grader.fields, document = grader.document
        guard let node = fields["path"], let text = document.text(node, named: "path", log: &log) else { return nil }
        let path: JSONPath
        do {
            path = try JSONPath(parsing: text)
        } catch {
            log.add(document.error(error.message, at: node))
            return nil
        }
        switch (fields["equals"], fields["contains"]) {
        case (_?, let second?):
            log.add(document.error("give 'equals' or 'contains', not both", at: second))
            return nil
        case (_?, nil):
            return template("equals", &grader).map { .jsonPath(path: path, check: .equals($0)) }
        case (nil, _?):
            return template("contains", &grader).map { .jsonPath(path: path, check: .contains($0)) }
        case (nil, nil):
            return .jsonPath(path: path, check: .exists)
        }
    }

    static func double(_ value: Decimal) -> Double { (value as NSDecimalNumber).doubleValue }
}
