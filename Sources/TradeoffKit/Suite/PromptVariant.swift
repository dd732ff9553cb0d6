/// One wording of a task (an entry of `prompts: [{id, prompt, system}]`): every variant runs on
/// every model, and the report compares each (model, variant) pair as an arm.
public struct PromptVariant: Sendable, Hashable {
    /// The variant's id, unique within its task; the same ids in every task that lists `prompts:`.
    public var id: String
    /// The prompt template (the final user turn) in this wording.
    public var prompt: Template
    /// The system prompt template in this wording; nil keeps the task's.
    public var system: Template?

    /// Creates a variant.
    public init(id: String, prompt: Template, system: Template? = nil) {
        self.id = id
        self.prompt = prompt
        self.system = system
    }
}
