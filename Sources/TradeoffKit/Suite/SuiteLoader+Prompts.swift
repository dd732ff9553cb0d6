import Foundation
import Yams

/// A task's prompt variants (`prompts: [{id, prompt, system}]`) and the suite's
/// `reference_prompt:`.
extension SuiteLoader.Session {
    static let promptVariantKeys = ["id", "prompt", "system"]

    /// A task's decoded `prompts:`: the variants, their templates (for placeholder checks), and
    /// where the list is written (for the suite-wide check of their ids).
    struct DecodedPrompts {
        var variants: [PromptVariant] = []
        var templates: [TemplateSource] = []
        var node: Node
    }

    /// The `prompts:` list at `node` of the task `label`; problems are reported and the entry left out.
    mutating func decodePrompts(_ node: Node, label: String, in document: YAMLDocument) -> DecodedPrompts {
        var decoded = DecodedPrompts(node: node)
        guard case .sequence(let items) = node else {
            log.add(document.error("'prompts' must list the task's wordings, like [{id: terse, prompt: \"...\"}], got "
                                   + document.describe(node), at: node))
            return decoded
        }
        if items.isEmpty {
            log.add(document.error("'prompts' of \(label) must list at least one variant ({id, prompt})", at: node))
        }
        var firstLines: [String: Int] = [:]
        for item in items {
            guard let fields = document.fields(of: item, in: "a prompt variant", allowed: Self.promptVariantKeys,
                                               required: ["id", "prompt"], log: &log),
                  let id = document.name(fields, "id", log: &log), let idNode = fields["id"] else { continue }
            if let line = firstLines[id] {
                log.add(document.error("duplicate prompt variant id '\(id)' in \(label) (first at line \(line)); "
                                       + "give each variant its own id", at: idNode))
                continue
            }
            firstLines[id] = idNode.mark?.line ?? 0
            if id.contains(PromptArm.separator.trimmingCharacters(in: .whitespaces)) {
                log.add(document.error("prompt variant id '\(id)' must not contain '·', which joins a model and a "
                                       + "variant in the report", at: idNode))
                continue
            }
            let system = template(fields, "system", in: document)
            guard let prompt = template(fields, "prompt", in: document) else { continue }
            if prompt.template.source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                log.add(document.error("prompt variant '\(id)' of \(label) has an empty prompt; give it the wording "
                                       + "to send", at: prompt.node))
                continue
            }
            decoded.variants.append(PromptVariant(id: id, prompt: prompt.template, system: system?.template))
            decoded.templates += [system, prompt].compactMap { $0 }
        }
        return decoded
    }

    /// Reports each task whose variant ids are not those of the first task that lists `prompts:`:
    /// each variant is one arm over the whole suite, so every task must have each one.
    mutating func checkVariantIDs(_ tasks: [DecodedTask], in document: YAMLDocument) {
        let listing = tasks.filter { !$0.task.prompts.isEmpty }
        guard let first = listing.first else { return }
        let ids = first.task.prompts.map(\.id)
        for task in listing.dropFirst() where task.task.prompts.map(\.id) != ids {
            log.add(document.error("task '\(task.task.id)' lists prompt variants "
                                   + task.task.prompts.map(\.id).joined(separator: ", ") + " but task '\(first.task.id)' lists "
                                   + ids.joined(separator: ", ") + "; every task with 'prompts:' lists the same ids in the "
                                   + "same order (each variant is compared over the whole suite)",
                                   at: (task.promptsNode ?? first.promptsNode)?.mark))
        }
    }

    /// The suite's reference as a (model, variant) arm: `reference:` with `reference_prompt:`
    /// (without it, the first variant). Without variants, the reference as given; a
    /// `reference_prompt:` then has nothing to name and is an error.
    mutating func armReference(_ reference: String?, fields: YAMLFields, variants: [String],
                               in document: YAMLDocument) -> String? {
        guard let node = fields["reference_prompt"] else {
            return reference.map { PromptArm.label(modelID: $0, variant: variants.first) }
        }
        guard let variant = document.name(fields, "reference_prompt", log: &log) else { return reference }
        if variants.isEmpty {
            log.add(document.error("'reference_prompt' names a prompt variant, but no task lists 'prompts:'; "
                                   + "remove it or give a task its variants", at: node))
            return reference
        }
        guard variants.contains(variant) else {
            log.add(document.error("unknown prompt variant '\(variant)' in 'reference_prompt'"
                                   + Suggestions.hint(for: variant, among: variants)
                                   + "; the variants are " + variants.joined(separator: ", "), at: node))
            return reference
        }
        guard let reference else {
            if fields["reference"] == nil {
                log.add(document.error("'reference_prompt' needs 'reference:', the model asked in that variant", at: node))
            }
            return nil
        }
        return PromptArm.label(modelID: reference, variant: variant)
    }
}
