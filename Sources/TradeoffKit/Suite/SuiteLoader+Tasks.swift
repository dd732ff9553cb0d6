import Foundation
import Yams

extension SuiteLoader.Session {
    static let taskKeys = ["id", "system", "prompt", "dataset", "cases", "graders",
                           "temperature", "max_tokens", "threshold", "repeats"]
    static let settingKeys = ["temperature", "max_tokens", "threshold", "repeats"]

    /// A task and the dataset it was read from (for the suite's content hash).
    struct DecodedTask {
        var task: SuiteTask
        /// The dataset its cases are read from, if any.
        var dataset: DatasetFile?
    }

    /// A template and the node it was written at, for placeholder errors.
    struct TemplateSource {
        var template: Template
        var node: Node
    }

    /// The task at `node`; nil after reporting its problems.
    ///
    /// - Parameter firstLines: Task ids seen so far and the line of each, for duplicate errors.
    mutating func decodeTask(_ node: Node, number: Int, in document: YAMLDocument, defaults: TaskSettings,
                             firstLines: inout [String: Int]) -> DecodedTask?
    {
        let errorsBefore = log.diagnostics.count
        guard let fields = document.fields(of: node, in: "task", allowed: Self.taskKeys, required: ["id", "prompt"],
                                           log: &log)
        else { return nil }
        let id = document.name(fields, "id", log: &log)
        if let id, let idNode = fields["id"] {
            if let line = firstLines[id] {
                log.add(document.error("duplicate task id '\(id)' (first at line \(line))", at: idNode))
            } else {
                firstLines[id] = idNode.mark?.line ?? 0
            }
        }
        let label = "task '\(id ?? "#\(number)")'"
        let system = template(fields, "system", in: document)
        let prompt = template(fields, "prompt", in: document)
        let settings = self.settings(fields, in: document, base: defaults)
        var graders: [DecodedGrader]?
        if let node = fields["graders"] { graders = decodeGraders(node, in: document) }

        let templates = [system, prompt].compactMap { $0 } + (graders ?? []).flatMap(\.templates)
        let placeholders = Set(templates.flatMap(\.template.placeholders))
        var cases: CaseList?
        var tally: CaseTally?
        var dataset: DatasetFile?
        switch (fields["dataset"], fields["cases"]) {
        case (let datasetNode?, let casesNode?):
            log.add(document.error("\(label) has both 'dataset' and 'cases'; give exactly one", at: node))
            _ = datasetCases(datasetNode, label: label, placeholders: placeholders, in: document)
            _ = inlineCases(casesNode, in: document)
        case (let datasetNode?, nil):
            if let loaded = datasetCases(datasetNode, label: label, placeholders: placeholders, in: document) {
                (cases, tally, dataset) = (loaded.cases, loaded.tally, loaded.dataset)
            }
            if !Self.declaresGraders(fields["graders"]) {
                log.add(document.error("\(label) has no graders; add 'graders' to the task (cases from a dataset "
                                       + "cannot add their own)", at: node))
            }
        case (nil, let casesNode?):
            if let decoded = inlineCases(casesNode, in: document) {
                checkCaseIDs(decoded, label: label)
                if !Self.declaresGraders(fields["graders"]) { checkEveryCaseHasGraders(decoded, label: label) }
                checkCaseGraderPlaceholders(decoded, document: document)
                cases = CaseList(decoded.map(\.testCase))
                tally = Self.tally(decoded, placeholders: placeholders)
            }
        case (nil, nil):
            log.add(document.error("\(label) has neither 'dataset' nor 'cases'; give exactly one", at: node))
        }
        if let tally { checkPlaceholders(templates, in: tally, document: document) }

        guard log.diagnostics.count == errorsBefore, let id, let prompt, let cases else { return nil }
        let task = SuiteTask(id: id, system: system?.template, prompt: prompt.template, settings: settings,
                             graders: (graders ?? []).map(\.spec), cases: cases)
        return DecodedTask(task: task, dataset: dataset)
    }

    /// Whether a `graders:` value declares any grader (broken ones count: they are reported
    /// on their own and should not also make cases look grader-less).
    static func declaresGraders(_ node: Node?) -> Bool {
        guard let node else { return false }
        if case .sequence(let items) = node { return !items.isEmpty }
        return true
    }

    /// A template value: any non-null scalar.
    mutating func template(_ fields: YAMLFields, _ key: String, in document: YAMLDocument) -> TemplateSource? {
        guard let node = fields[key], let text = document.text(node, named: key, log: &log) else { return nil }
        return TemplateSource(template: Template(text), node: node)
    }

    /// `base` with the `temperature`, `max_tokens`, `threshold` and `repeats` given in `fields`.
    mutating func settings(_ fields: YAMLFields, in document: YAMLDocument, base: TaskSettings) -> TaskSettings {
        var settings = base
        if let value = document.number(fields, "temperature", in: 0...2, log: &log) { settings.temperature = value }
        if let value = document.integer(fields, "max_tokens", atLeast: 1, log: &log) { settings.maxTokens = value }
        if let value = document.number(fields, "threshold", in: 0...1, log: &log) { settings.threshold = value }
        if let value = document.integer(fields, "repeats", atLeast: 1, log: &log) { settings.repeats = value }
        return settings
    }
}
