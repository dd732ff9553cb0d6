import Foundation
import Yams

extension SuiteLoader.Session {
    static let taskKeys = ["id", "system", "prompt", "prompts", "messages", "messages_field", "overrides", "dataset", "cases",
                           "graders", "temperature", "max_tokens", "threshold", "repeats", "volume", "image_field"] + toolKeys
    static let settingKeys = ["temperature", "max_tokens", "threshold", "repeats"]

    /// A task and the dataset it was read from (for the suite's content hash).
    struct DecodedTask {
        var task: SuiteTask
        /// The dataset its cases are read from, if any.
        var dataset: DatasetFile?
        /// The models its `overrides:` name, and where, for the catalog check.
        var overrideModels: [(id: String, node: Node)] = []
        /// Where `response_format:` is written, to say which models cannot take it.
        var responseFormatNode: Node?
        /// Where `prompts:` is written, for the suite-wide check of the variants' ids.
        var promptsNode: Node?
        /// The task's `volume:` and where it is written, for the suite-wide check.
        var volume: (value: TaskVolume, node: Node)?
        /// The task's own node, to say which task lacks a volume.
        var node: Node?
        /// Where the task's first image is named (a part, a case's turns, `image_field:`), to
        /// say which models cannot see it.
        var imageNode: Node?
        /// The `type:` of the task's (or else a case's) first `confidence` grader, to say which
        /// models return no logprobs.
        var confidenceNode: Node?
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
        guard let fields = document.fields(of: node, in: "task", allowed: Self.taskKeys, required: ["id"], log: &log)
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
        let prompts = fields["prompts"].map { decodePrompts($0, label: label, in: document) }
        if let prompts, fields["prompt"] != nil {
            log.add(document.error("\(label) has both 'prompt' and 'prompts'; give one (each variant of 'prompts' "
                                   + "has its own prompt)", at: prompts.node))
        }
        // Every variant ends with its prompt, as a task's `prompt:` does.
        let endsWithPrompt = prompt != nil || prompts != nil
        let messages = fields["messages"].flatMap { decodeMessages($0, in: document) }
        let overrides = fields["overrides"].map { decodeOverrides($0, in: document) } ?? DecodedOverrides()
        let settings = self.settings(fields, in: document, base: defaults)
        let volume = taskVolume(fields, in: document)
        let structure = taskStructure(fields, label: label, in: document)
        var graders: [DecodedGrader]?
        if let node = fields["graders"] { graders = decodeGraders(node, in: document) }
        let datasetFormat = fields["dataset"].flatMap(YAMLDocument.scalarText).flatMap(Dataset.Format.init(path:))
        let field = messagesField(fields, datasetFormat: datasetFormat, in: document)
        // The task's own turns; a model's override may add a prompt, but every model must be
        // answerable with the task's wording too.
        let leadingRoles = (system == nil ? [] : [ChatMessage.Role.system]) + (messages?.turns.map(\.role) ?? [])
        var rule = ConversationRule(field: field ?? "messages", leadingRoles: leadingRoles, endsWithPrompt: endsWithPrompt,
                                    label: label)
        if !endsWithPrompt && fields["prompt"] == nil && fields["messages"] == nil && fields["messages_field"] == nil {
            rule.missingPrompt = document.error("missing required key 'prompt' in task", at: node)
        }

        let templates = [system, prompt].compactMap { $0 } + (messages?.templates ?? []) + overrides.templates
            + (prompts?.templates ?? [])
            + (graders ?? []).flatMap(\.templates)
        let placeholders = Set(templates.flatMap(\.template.placeholders))
        var cases: CaseList?
        var tally: CaseTally?
        var dataset: DatasetFile?
        var decodedCases: [DecodedCase]?
        switch (fields["dataset"], fields["cases"]) {
        case (let datasetNode?, let casesNode?):
            log.add(document.error("\(label) has both 'dataset' and 'cases'; give exactly one", at: node))
            _ = datasetCases(datasetNode, label: label, placeholders: placeholders, conversation: rule, in: document)
            _ = inlineCases(casesNode, in: document)
        case (let datasetNode?, nil):
            if let loaded = datasetCases(datasetNode, label: label, placeholders: placeholders, conversation: rule,
                                         in: document) {
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
                if !endsWithPrompt && fields["prompt"] == nil && fields["messages"] == nil
                    && !decoded.contains(where: { !$0.testCase.messages.isEmpty }) {
                    // Nothing to send anywhere: the plain case is a task without its prompt.
                    log.add(document.error("missing required key 'prompt' in task", at: node))
                } else if fields["messages"] == nil || messages != nil {
                    // Broken task turns are reported already; the conversations would only repeat them.
                    checkConversations(decoded, leadingRoles: leadingRoles, endsWithPrompt: endsWithPrompt,
                                       taskMessages: messages?.node, taskNode: node, label: label, document: document)
                }
                cases = CaseList(decoded.map(\.testCase))
                tally = Self.tally(decoded, placeholders: placeholders)
                decodedCases = decoded
            }
        case (nil, nil):
            log.add(document.error("\(label) has neither 'dataset' nor 'cases'; give exactly one", at: node))
        }
        if let tally { checkPlaceholders(templates, in: tally, document: document) }
        let imageField = document.name(fields, "image_field", log: &log)
        var fieldImages: [String: ChatImage] = [:]
        if let imageField, let node = fields["image_field"], let cases {
            fieldImages = self.fieldImages(imageField, node: node, cases: cases, dataset: dataset, decoded: decodedCases,
                                           in: document)
        }
        let caseImages = decodedCases?.first { $0.testCase.messages.contains { !$0.images.isEmpty } }?.messagesNode

        guard log.diagnostics.count == errorsBefore, let id, let cases else { return nil }
        var task = SuiteTask(id: id, system: system?.template, prompt: prompt?.template, messages: messages?.turns ?? [],
                             overrides: overrides.overrides, settings: settings, graders: (graders ?? []).map(\.spec),
                             cases: cases)
        (task.tools, task.toolChoice, task.responseFormat) = (structure.tools, structure.toolChoice, structure.responseFormat)
        task.prompts = prompts?.variants ?? []
        task.volume = volume.flatMap { _ in fields["volume"].flatMap(YAMLDocument.scalarText) }
        (task.imageField, task.fieldImages) = (imageField, fieldImages)
        return DecodedTask(task: task, dataset: dataset, overrideModels: overrides.models,
                           responseFormatNode: fields["response_format"], promptsNode: prompts?.node, volume: volume, node: node,
                           imageNode: messages?.imageNode ?? caseImages ?? fields["image_field"],
                           confidenceNode: (graders ?? []).first { $0.spec.readsLogprobs }?.typeNode
                               ?? decodedCases?.lazy.compactMap(\.confidenceNode).first)
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
        return template(text, at: node, in: document)
    }

    /// The template `text`, the value of `node`; a placeholder left open is an error at its `{{`.
    mutating func template(_ text: String, at node: Node, in document: YAMLDocument) -> TemplateSource {
        let template = Template(text)
        if let open = template.unclosedPlaceholder {
            let mark = node.mark
            let position = document.source.position(ofOccurrence: Self.openings(in: text[..<open]), of: "{{",
                                                    fromLine: mark?.line ?? 1, column: mark?.column ?? 1)
            log.add(document.source.error(Self.unclosedMessage(text[open...]), line: position?.line ?? mark?.line,
                                          column: position?.column ?? mark?.column))
        }
        return TemplateSource(template: template, node: node)
    }

    /// The template in the file `source` (a judge's prompt file); a placeholder left open is an
    /// error at its `{{` in that file.
    mutating func template(in source: SourceText) -> Template {
        let template = Template(source.text)
        if let open = template.unclosedPlaceholder {
            let position = source.position(ofOccurrence: Self.openings(in: source.text[..<open]), of: "{{",
                                           fromLine: 1, column: 1)
            log.add(source.error(Self.unclosedMessage(source.text[open...]), line: position?.line,
                                 column: position?.column))
        }
        return template
    }

    /// How many `{{` (not overlapping) `text` holds.
    private static func openings(in text: Substring) -> Int {
        var count = 0
        var rest = text
        while let found = rest.range(of: "{{") {
            count += 1
            rest = rest[found.upperBound...]
        }
        return count
    }

    /// `placeholder '{{text' is never closed (write '{{text}}')`, quoting the placeholder as
    /// written up to the end of its name (at most 40 characters of it).
    private static func unclosedMessage(_ opening: Substring) -> String {
        let inside = opening.dropFirst(2)
        let space = inside.prefix { $0 == " " || $0 == "\t" }
        let name = inside.dropFirst(space.count).prefix { !$0.isWhitespace && $0 != "{" && $0 != "}" }.prefix(40)
        guard !name.isEmpty else { return "'{{' opens a placeholder that is never closed (write '{{name}}')" }
        return "placeholder '{{\(space)\(name)' is never closed (write '{{\(name)}}')"
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
