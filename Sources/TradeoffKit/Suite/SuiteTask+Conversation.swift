extension SuiteTask {
    /// The turns sent for `testCase` to the model `modelID`: the system prompt, the task's
    /// `messages`, the case's (written in the suite or read from its dataset row), then the
    /// prompt as the final user turn. A prompt variant's wording replaces the task's; a model
    /// with an override gets its own system prompt or prompt instead of either. The last user
    /// turn carries the case's `image_field` image.
    ///
    /// - Parameters:
    ///   - testCase: The case whose variables fill the templates.
    ///   - modelID: The model the turns are for; nil for the task's own wording.
    ///   - variant: The prompt variant's id (`prompts:`); nil, or an id the task does not list,
    ///     for the task's `prompt:`.
    public func conversation(for testCase: TestCase, modelID: String?, variant: String? = nil) -> [ChatMessage] {
        let variables = testCase.variables
        let own = modelID.flatMap { overrides[$0] }
        let wording = variant.flatMap { id in prompts.first { $0.id == id } }
        var turns: [ChatMessage] = []
        if let system = own?.system ?? wording?.system ?? system {
            turns.append(ChatMessage(role: .system, content: system.render(variables)))
        }
        for turn in messages { turns.append(turn.render(variables)) }
        for turn in testCase.messages { turns.append(turn.render(variables)) }
        if let prompt = own?.prompt ?? wording?.prompt ?? prompt {
            turns.append(ChatMessage(role: .user, content: prompt.render(variables)))
        }
        if let field = imageField, let path = variables[field], let image = fieldImages[path],
           let last = turns.lastIndex(where: { $0.role == .user }) {
            turns[last].images.append(image)
        }
        return turns
    }

    /// The models that run this task with their own wording, sorted.
    public var modelsWithOwnWording: [String] { overrides.keys.sorted() }
}
