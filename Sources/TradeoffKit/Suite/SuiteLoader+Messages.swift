import Foundation
import Yams

/// Conversations (`messages:` of a task or a case, a dataset row's field) and per-model wording
/// (`overrides:`).
extension SuiteLoader.Session {
    static let turnKeys = ["role", "content"]
    static let overrideKeys = ["system", "prompt"]

    /// A `messages:` list as written: its turns, their templates (for placeholder checks) and
    /// the node it is at (where a problem with the conversation as a whole is reported).
    struct DecodedMessages {
        var turns: [MessageTemplate]
        var templates: [TemplateSource]
        var node: Node
        /// The first image part, if a turn has one.
        var imageNode: Node? = nil
    }

    /// The `messages:` list at `node`; nil after reporting its problems.
    mutating func decodeMessages(_ node: Node, in document: YAMLDocument) -> DecodedMessages? {
        let shape = "a list of turns like [{role: user, content: \"...\"}]"
        guard case .sequence(let items) = node else {
            log.add(document.error("'messages' must be \(shape), got \(document.describe(node))", at: node))
            return nil
        }
        guard !items.isEmpty else {
            log.add(document.error("'messages' is an empty list; give at least one turn (\(shape)), or leave it out",
                                   at: node))
            return nil
        }
        var decoded = DecodedMessages(turns: [], templates: [], node: node)
        var valid = true
        for item in items {
            guard let fields = document.fields(of: item, in: "turn", allowed: Self.turnKeys,
                                               required: Self.turnKeys, log: &log),
                  let roleNode = fields["role"], let contentNode = fields["content"]
            else { valid = false; continue }
            var role: ChatMessage.Role?
            if let text = YAMLDocument.scalarText(roleNode) {
                role = ChatMessage.Role(rawValue: text)
                if role == nil { log.add(document.error(Dataset.unknownRole("'\(text)'"), at: roleNode)) }
            } else {
                log.add(document.error(Dataset.unknownRole(document.describe(roleNode)), at: roleNode))
            }
            let template: TemplateSource?
            var images: [ChatImage] = []
            switch contentNode {
            case .scalar(let scalar) where !YAMLDocument.isNull(scalar):
                template = self.template(scalar.string, at: contentNode, in: document)
            case .sequence(let parts):
                guard let content = decodeParts(Array(parts), at: contentNode, role: role, in: document) else {
                    valid = false
                    continue
                }
                template = content.text
                images = content.images
                if decoded.imageNode == nil { decoded.imageNode = content.imageNode }
            default:
                log.add(document.error("a turn's 'content' must be a string (a template) or a list of parts like "
                                       + "[{text: \"...\"}, {image: photos/receipt.png}], got "
                                       + document.describe(contentNode), at: contentNode))
                valid = false
                continue
            }
            guard let role else { valid = false; continue }
            decoded.turns.append(MessageTemplate(role: role, content: template?.template ?? Template(""), images: images))
            if let template { decoded.templates.append(template) }
        }
        return valid ? decoded : nil
    }

    /// Reports each inline case whose conversation a model cannot answer — the task's system
    /// prompt and turns, the case's turns and the task's prompt, in that order — at the case's
    /// `messages:` (or once at the task's, when the case adds none).
    mutating func checkConversations(_ cases: [DecodedCase], leadingRoles: [ChatMessage.Role], endsWithPrompt: Bool,
                                     taskMessages: Node?, taskNode: Node, label: String, document: YAMLDocument) {
        var reportedAtTask = false
        for testCase in cases {
            let turns = testCase.testCase.messages
            let roles = leadingRoles + turns.map(\.role) + (endsWithPrompt ? [.user] : [])
            let owner = "case '\(testCase.testCase.id)'"
            if roles.isEmpty {
                log.add(testCase.locate("\(owner) has nothing to send: \(label) has no 'prompt' or 'messages' and the case "
                                        + "no 'messages'; give the task a 'prompt:' (or turns as 'messages:')"))
                continue
            }
            if let node = testCase.messagesNode {
                if let problem = MessageTemplate.problem(roles: roles, owner: owner) {
                    log.add(document.error(problem, at: node))
                }
            } else if !reportedAtTask, let problem = MessageTemplate.problem(roles: roles, owner: label) {
                // The task's own turns are at fault: said once, at them.
                reportedAtTask = true
                log.add(document.error(problem, at: taskMessages ?? taskNode))
            }
        }
    }

    /// The `messages_field:` of a task (the JSONL field holding a row's conversation).
    mutating func messagesField(_ fields: YAMLFields, datasetFormat: Dataset.Format?, in document: YAMLDocument)
        -> String?
    {
        guard let node = fields["messages_field"] else { return datasetFormat == .jsonl ? "messages" : nil }
        guard let field = document.name(fields, "messages_field", log: &log) else { return nil }
        if fields["dataset"] == nil {
            log.add(document.error("'messages_field' names a field of the dataset's rows, but the task has no "
                                   + "'dataset'; give the turns as 'messages' instead", at: node))
        } else if let datasetFormat, datasetFormat != .jsonl {
            log.add(document.error("'messages_field' needs a JSONL dataset (a row's field holds a list of turns); "
                                   + "a CSV cell cannot", at: node))
        }
        return field
    }

    /// A task's `overrides:`: per model id, its own `system` and `prompt`.
    struct DecodedOverrides {
        var overrides: [String: PromptOverride] = [:]
        var templates: [TemplateSource] = []
        /// Each model id and its key node, for the catalog check.
        var models: [(id: String, node: Node)] = []
    }

    /// The `overrides:` mapping at `node`; problems are reported and the entry left out.
    mutating func decodeOverrides(_ node: Node, in document: YAMLDocument) -> DecodedOverrides {
        var decoded = DecodedOverrides()
        guard case .mapping(let mapping) = node else {
            log.add(document.error("'overrides' must map model ids to their own wording, like {gpt-4o: {system: "
                                   + "\"...\"}}, got \(document.describe(node))", at: node))
            return decoded
        }
        for (key, value) in mapping {
            guard let id = YAMLDocument.scalarText(key) else {
                log.add(document.error("keys of 'overrides' must be model ids, got \(document.describe(key))", at: key))
                continue
            }
            guard let fields = document.fields(of: value, in: "the override of '\(id)'", allowed: Self.overrideKeys,
                                               log: &log) else { continue }
            let system = template(fields, "system", in: document)
            let prompt = template(fields, "prompt", in: document)
            if system == nil && prompt == nil && fields["system"] == nil && fields["prompt"] == nil {
                log.add(document.error("the override of '\(id)' changes nothing; give it 'system', 'prompt' or both",
                                       at: value))
                continue
            }
            decoded.overrides[id] = PromptOverride(system: system?.template, prompt: prompt?.template)
            decoded.templates += [system, prompt].compactMap { $0 }
            decoded.models.append((id, key))
        }
        return decoded
    }

    /// Reports each model named in a task's `overrides:` that the catalog does not have.
    mutating func checkOverrideModels(_ tasks: [DecodedTask], catalog: Catalog, in document: YAMLDocument) {
        let ids = catalog.models.map(\.id)
        for task in tasks {
            for (id, node) in task.overrideModels where catalog.model(id) == nil {
                log.add(document.error("unknown model '\(id)' in 'overrides' of task '\(task.task.id)'"
                                       + Suggestions.hint(for: id, among: ids)
                                       + "; an override names a model of the catalog", at: node))
            }
        }
    }
}
