/// A model's own wording for a task (`overrides: {MODEL_ID: {system: ..., prompt: ...}}`): what
/// it gives replaces the task's system prompt or prompt for that model alone; what it leaves
/// out stays the task's. Reports name the models that ran with their own wording.
public struct PromptOverride: Sendable, Hashable {
    /// The system prompt template for this model, if it has its own.
    public var system: Template?
    /// The prompt template (the final user turn) for this model, if it has its own.
    public var prompt: Template?

    /// Creates an override.
    public init(system: Template? = nil, prompt: Template? = nil) {
        self.system = system
        self.prompt = prompt
    }
}
