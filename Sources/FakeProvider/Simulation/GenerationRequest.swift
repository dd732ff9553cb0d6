/// A request for an answer in any wire format, reduced to what the simulation reads. The same
/// conversation gives the same value whichever format carried it, so it gets the same answer,
/// delay and token counts.
struct GenerationRequest: Sendable, Hashable {
    /// The model name: from the body, or from the path (Azure deployments, Gemini).
    var model: String
    /// A system prompt first (role `system`), then the turns, with `assistant` for the model's
    /// own (Anthropic `assistant`, Gemini `model`).
    var messages: [ChatMessage]
    /// `max_completion_tokens` (OpenAI only).
    var maxCompletionTokens: Int?
    /// `max_tokens` (OpenAI, Anthropic) or `maxOutputTokens` (Gemini).
    var maxTokens: Int?
    /// Whether the answer is streamed.
    var stream = false
    /// OpenAI's `stream_options.include_usage`.
    var includeUsage = false
    /// The functions the model may call.
    var tools: [ToolShape] = []
    /// Whether and which tool it must call.
    var toolDemand = ToolDemand.auto
    /// The schema a JSON answer must follow (`response_format`, `responseJsonSchema`, `format`).
    var schema: ToolShape?
    /// Whether the answer's token logprobs were asked for (OpenAI's `logprobs: true`, Gemini's
    /// `generationConfig.responseLogprobs: true`).
    var logprobs = false

    /// The output limit `flavor` honours: Ollama reads `max_tokens` only, the others prefer
    /// `max_completion_tokens`.
    func outputLimit(for flavor: FakeProviderConfig.Flavor) -> Int? {
        flavor == .ollama ? maxTokens : maxCompletionTokens ?? maxTokens
    }
}
