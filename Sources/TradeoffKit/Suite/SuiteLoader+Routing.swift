import Yams

/// The keys that say how a suite meets production traffic: `volume:`, `online:`, `cascades:`.
extension SuiteLoader.Session {
    /// Keys of one `cascades:` entry; `schemas/suite.schema.json` is tested against this list.
    static let cascadeKeys = ["models", "escalate_when"]

    /// A task's `volume:` (`40%`, `3` or `500k/month`); nil when absent or reported.
    mutating func taskVolume(_ fields: YAMLFields, in document: YAMLDocument) -> (value: TaskVolume, node: Node)? {
        guard let node = fields["volume"] else { return nil }
        guard let text = YAMLDocument.scalarText(node), let volume = try? TaskVolume(parsing: text) else {
            log.add(document.error("'volume' must be \(TaskVolume.expectation), got \(document.describe(node))", at: node))
            return nil
        }
        return (volume, node)
    }

    /// Task volumes weigh tasks against each other, so either every task states one, the same
    /// way, or none does.
    mutating func checkVolumes(_ tasks: [DecodedTask], in document: YAMLDocument) {
        guard let first = tasks.first(where: { $0.volume != nil })?.volume else { return }
        for task in tasks {
            guard let volume = task.volume else {
                if let node = task.node {
                    log.add(document.error("task '\(task.task.id)' has no 'volume', but task volumes weigh the tasks "
                                           + "against each other: give every task one (like '\(Self.example(first.value))') "
                                           + "or none", at: node))
                }
                continue
            }
            if volume.value.form != first.value.form {
                log.add(document.error("'volume' is a \(volume.value.form) here but a \(first.value.form) at line "
                                       + "\(first.node.mark?.line ?? 0); write every task's volume the same way", at: volume.node))
            }
        }
    }

    private static func example(_ volume: TaskVolume) -> String {
        switch volume {
        case .share: "25%"
        case .weight: "1"
        case .monthly: "100k/month"
        }
    }

    /// The suite's `cascades:`, each checked against the suite's models and online graders.
    ///
    /// With prompt variants (`variants`), an entry may also name an arm, `gpt-4o-mini · terse`;
    /// an entry naming a model stands for that model in each variant (`CascadeSpec.arms`).
    mutating func decodeCascades(_ node: Node, tasks: [DecodedTask], models: [ModelEntry]?, variants: [String] = [],
                                 in document: YAMLDocument) -> [CascadeSpec] {
        guard case .sequence(let items) = node else {
            log.add(document.error("'cascades' must be a list like [{models: [cheap, strong], escalate_when: [format]}], "
                                   + "got \(document.describe(node))", at: node))
            return []
        }
        let online = tasks.flatMap { task in
            (task.task.graders + task.task.cases.caseGraders).filter(\.online)
        }
        let checkNames = Set(online.flatMap { [$0.typeName] + ($0.metric.map { [$0] } ?? []) }).sorted()
        return items.compactMap { item in
            guard let fields = document.fields(of: item, in: "cascade", allowed: Self.cascadeKeys, required: ["models"],
                                               log: &log) else { return nil }
            let before = log.diagnostics.count
            var ids: [String] = []
            if let list = document.sequence(fields, "models", log: &log) {
                for entry in list {
                    guard let id = document.text(entry, named: "models", log: &log) else { continue }
                    if let problem = Self.cascadeEntryProblem(id, models: models?.map(\.id), variants: variants) {
                        log.add(document.error(problem, at: entry))
                    } else if ids.contains(id) {
                        log.add(document.error("model '\(id)' is listed twice in the cascade", at: entry))
                    }
                    ids.append(id)
                }
                if list.count < 2, let node = fields["models"] {
                    log.add(document.error("a cascade needs at least two models, cheapest first, like "
                                           + "[llama-3.3-70b, claude-sonnet-4.5]", at: node))
                }
            }
            var escalateWhen: [String]?
            if let list = document.sequence(fields, "escalate_when", log: &log) {
                escalateWhen = []
                for entry in list {
                    guard let name = document.text(entry, named: "escalate_when", log: &log) else { continue }
                    if !checkNames.isEmpty && !checkNames.contains(name) {
                        log.add(document.error("no grader marked 'online: true' has the metric or type '\(name)'"
                                               + Suggestions.hint(for: name, among: checkNames), at: entry))
                    }
                    escalateWhen?.append(name)
                }
                if list.isEmpty, let node = fields["escalate_when"] {
                    log.add(document.error("'escalate_when' must name at least one online check (a metric or grader "
                                           + "type), or be left out to escalate on every online grader", at: node))
                }
            }
            if checkNames.isEmpty {
                log.add(document.error("this cascade has nothing to escalate on: mark the graders a production check "
                                       + "could run 'online: true' (json-valid, json-schema, length, regex, a command, "
                                       + "a judge without a reference, confidence, not-refusal)", at: item))
            }
            guard log.diagnostics.count == before else { return nil }
            return CascadeSpec(models: ids, escalateWhen: escalateWhen)
        }
    }

    /// What is wrong with `id` as an entry of a cascade's `models:`, or nil when it names one of
    /// `models` (nil: not known, so any model) or, with prompt variants, one of their arms.
    static func cascadeEntryProblem(_ id: String, models: [String]?, variants: [String]) -> String? {
        let separator = PromptArm.separator.trimmingCharacters(in: .whitespaces)
        if let arm = PromptArm(label: id, variants: variants) {
            guard let models, !models.contains(arm.modelID) else { return nil }
            let arms = PromptArm.labels(models: models, variants: variants)
            return "unknown arm '\(id)' in cascade: the suite has no model '\(arm.modelID)'"
                + Suggestions.hint(for: id, among: arms) + "; a cascade tries models of the suite, or their arms "
                + "'model · variant'"
        }
        if id.contains(separator) {
            guard !variants.isEmpty else {
                return "'\(id)' in cascade names a prompt variant, but no task lists 'prompts:'; name a model of the suite"
            }
            let arms = PromptArm.labels(models: models ?? [], variants: variants)
            return "unknown arm '\(id)' in cascade" + (arms.isEmpty ? "" : Suggestions.hint(for: id, among: arms))
                + "; an arm is 'model · variant' with a variant of " + variants.joined(separator: ", ")
        }
        guard let models, !models.contains(id) else { return nil }
        let candidates = models + PromptArm.labels(models: models, variants: variants).filter { !models.contains($0) }
        return "unknown model '\(id)' in cascade\(Suggestions.hint(for: id, among: candidates)); "
            + "a cascade tries models of the suite" + (variants.isEmpty ? "" : " or their arms 'model · variant'")
    }

    /// Grader types that compare the answer with a reference by nature, so never run online.
    static let referenceGraderTypes: Set<GraderType> = [.exact, .numeric, .choice, .similarity, .rougeL, .bleu]

    /// Reports `online: true` on a grader that needs a reference answer: a type that compares
    /// with one, or a template that reads a case's variables (regex captures are the answer's).
    mutating func checkOnline(_ type: GraderType, templates: [TemplateSource], captures: [String],
                              hasReference: Bool, at node: Node, in document: YAMLDocument) {
        let hint = "a check in production sees only the answer (json-valid, json-schema, length, regex, "
            + "contains/not-contains with fixed text, a command, a judge without a reference, "
            + "confidence, not-refusal)"
        if Self.referenceGraderTypes.contains(type) || (type == .judge && hasReference) {
            let what = type == .judge ? "a judge given a 'reference'" : "a grader of type '\(type.rawValue)'"
            log.add(document.error("'online: true' on \(what), which compares the answer with a reference answer; "
                                   + hint, at: node))
            return
        }
        let own = type == .judge ? JudgePrompt.inputs : []
        let variables = templates.flatMap(\.template.placeholders).filter { !captures.contains($0) && !own.contains($0) }
        if let variable = variables.first {
            log.add(document.error("'online: true' on a grader that reads '{{\(variable)}}' from each case, which "
                                   + "production traffic does not have; \(hint)", at: node))
        }
    }
}
