import Foundation
import Yams

extension SuiteLoader.Session {
    static let caseKeys = ["id", "vars", "messages", "graders"]

    /// A case and where it was written, for messages about it.
    struct DecodedCase {
        var testCase: TestCase
        /// The file and line the case is at: its dataset row, or its entry in the suite.
        var file: String
        var line: Int
        /// An error at the case (its `id:` or its dataset row).
        var locate: (String) -> Diagnostic
        /// Templates of the case's own graders and turns, filled from its variables alone.
        var graderTemplates: [TemplateSource]
        /// Whether the case declares graders of its own.
        var declaresGraders: Bool
        /// The case's `messages:`, if it gives turns of its own.
        var messagesNode: Node? = nil
        /// The `type:` of the case's first `confidence` grader, if any.
        var confidenceNode: Node? = nil
    }

    /// The cases of a `dataset:` file (JSONL or CSV), read from the file as needed, with their
    /// tally; nil after reporting a missing file or bad rows (a partial dataset would make every
    /// count in later messages wrong).
    ///
    /// - Parameter conversation: How the task reads a JSONL row's conversation; every row is
    ///   checked against it.
    mutating func datasetCases(_ node: Node, label: String, placeholders: Set<String>, conversation: ConversationRule,
                               in document: YAMLDocument) -> (cases: CaseList, tally: CaseTally, dataset: DatasetFile)?
    {
        guard let path = document.text(node, named: "dataset", log: &log) else { return nil }
        guard let format = Dataset.Format(path: path) else {
            log.add(document.error("dataset '\(path)' must be a .jsonl or .csv file", at: node))
            return nil
        }
        let resolved = InputFile.path(path, relativeTo: document.file)
        let field = format == .jsonl ? conversation.field : nil
        if let cached = datasetFiles[resolved] {
            // Another task read it with its own rule: check the rows against this task's.
            guard let dataset = cached, dataset.checkConversations(conversation, log: &log) else { return nil }
            return (CaseList(dataset, messagesField: field), dataset.tally(placeholders: placeholders), dataset)
        }
        log.register(file: resolved)
        switch DatasetFile.load(path: resolved, format: format, label: label, placeholders: placeholders,
                                conversation: conversation, log: &log) {
        case .failure(let problem)?:
            log.add(document.error("dataset file '\(resolved)' \(problem.message)", at: node))
            return nil
        case nil:
            datasetFiles[resolved] = .some(nil)
            return nil
        case .success(let (dataset, tally))?:
            guard dataset.count > 0 else {
                log.add(document.error("dataset file '\(resolved)' has no rows", at: node))
                datasetFiles[resolved] = .some(nil)
                return nil
            }
            datasetFiles[resolved] = dataset
            return (CaseList(dataset, messagesField: field), tally, dataset)
        }
    }

    /// The inline `cases:` of a task; nil after reporting a case whose id or variables are
    /// broken. Problems in a case's graders are reported but keep the case.
    mutating func inlineCases(_ node: Node, in document: YAMLDocument) -> [DecodedCase]? {
        guard case .sequence(let items) = node else {
            log.add(document.error("'cases' must be a list, got \(document.describe(node))", at: node))
            return nil
        }
        guard !items.isEmpty else {
            log.add(document.error("'cases' must list at least one case", at: node))
            return nil
        }
        var cases: [DecodedCase] = []
        var complete = true
        for (index, item) in items.enumerated() {
            guard let fields = document.fields(of: item, in: "case", allowed: Self.caseKeys, log: &log) else {
                complete = false
                continue
            }
            var id = String(index + 1)
            if fields["id"] != nil {
                guard let given = document.name(fields, "id", log: &log) else { complete = false; continue }
                id = given
            }
            var variables: [String: String] = [:]
            if let node = fields["vars"] {
                guard let given = self.variables(node, in: document) else { complete = false; continue }
                variables = given
            }
            var graders: [DecodedGrader] = []
            if let node = fields["graders"] { graders = decodeGraders(node, in: document) ?? [] }
            var messages: DecodedMessages?
            if let node = fields["messages"] {
                guard let decoded = decodeMessages(node, in: document) else { complete = false; continue }
                messages = decoded
            }
            let anchor = fields["id"] ?? item
            cases.append(DecodedCase(
                testCase: TestCase(id: id, variables: variables, graders: graders.map(\.spec),
                                   messages: messages?.turns ?? []),
                file: document.file, line: anchor.mark?.line ?? 0,
                locate: { document.error($0, at: anchor) },
                graderTemplates: graders.flatMap(\.templates) + (messages?.templates ?? []),
                declaresGraders: Self.declaresGraders(fields["graders"]),
                messagesNode: messages?.node,
                confidenceNode: graders.first { $0.spec.readsLogprobs }?.typeNode))
        }
        return complete ? cases : nil
    }

    /// A case's `vars:` mapping; values are scalars (null is empty text).
    mutating func variables(_ node: Node, in document: YAMLDocument) -> [String: String]? {
        guard case .mapping(let mapping) = node else {
            log.add(document.error("'vars' must be a mapping, got \(document.describe(node))", at: node))
            return nil
        }
        var variables: [String: String] = [:]
        var valid = true
        for (key, value) in mapping {
            guard let name = YAMLDocument.scalarText(key) else {
                log.add(document.error("variable names must be text, got \(document.describe(key))", at: key))
                valid = false
                continue
            }
            guard case .scalar(let scalar) = value else {
                log.add(document.error("variable '\(name)' must be a string, number or bool, got "
                                       + document.describe(value), at: value))
                valid = false
                continue
            }
            variables[name] = YAMLDocument.isNull(scalar) ? "" : scalar.string
        }
        return valid ? variables : nil
    }

    /// Reports a case id used twice in one task, at the later case.
    mutating func checkCaseIDs(_ cases: [DecodedCase], label: String) {
        var first: [String: DecodedCase] = [:]
        for testCase in cases {
            let id = testCase.testCase.id
            if let earlier = first[id] {
                log.add(testCase.locate("duplicate case id '\(id)' in \(label) (first at line \(earlier.line))"))
            } else {
                first[id] = testCase
            }
        }
    }

    /// With no task-level graders, every case must bring its own.
    mutating func checkEveryCaseHasGraders(_ cases: [DecodedCase], label: String) {
        for testCase in cases where !testCase.declaresGraders {
            log.add(testCase.locate("case '\(testCase.testCase.id)' has no graders; add 'graders' to it or to \(label)"))
        }
    }

    /// Reports each placeholder that some case has no variable for: once per template and name,
    /// at the template, with how many cases lack it and the first one.
    mutating func checkPlaceholders(_ templates: [TemplateSource], in tally: CaseTally, document: YAMLDocument) {
        let names = tally.names.sorted()
        let noun = tally.cases == 1 ? "case" : "cases"
        for source in templates {
            for name in source.template.placeholders {
                guard let lacking = tally.lacking[name] else { continue }
                let message = "placeholder '{{\(name)}}' has no variable in \(lacking.count) of \(tally.cases) \(noun) "
                    + "(first: case '\(lacking.caseID)' at \(lacking.file):\(lacking.line)); "
                    + Self.variablesPhrase(name, names, noun: noun)
                log.add(document.error(message, at: source.node))
            }
        }
    }

    /// The tally of cases held in memory.
    static func tally(_ cases: [DecodedCase], placeholders: Set<String>) -> CaseTally {
        var tally = CaseTally(placeholders: placeholders)
        for testCase in cases { tally.add(testCase.testCase, file: testCase.file, line: testCase.line) }
        return tally
    }

    /// Reports each placeholder of a case's own graders that the case has no variable for.
    mutating func checkCaseGraderPlaceholders(_ cases: [DecodedCase], document: YAMLDocument) {
        for testCase in cases {
            let names = testCase.testCase.variables.keys.sorted()
            for source in testCase.graderTemplates {
                for name in source.template.placeholders where testCase.testCase.variables[name] == nil {
                    log.add(document.error("placeholder '{{\(name)}}' has no variable in case '\(testCase.testCase.id)'; "
                                           + Self.variablesPhrase(name, names, noun: "case"), at: source.node))
                }
            }
        }
    }

    /// `variables are: a, b (did you mean 'a'?)`
    private static func variablesPhrase(_ name: String, _ names: [String], noun: String) -> String {
        guard !names.isEmpty else { return noun == "case" ? "the case has no variables" : "the cases have no variables" }
        var phrase = "variables are: " + names.joined(separator: ", ")
        if let match = Suggestions.closest(to: name, among: names) { phrase += " (did you mean '\(match)'?)" }
        return phrase
    }
}
