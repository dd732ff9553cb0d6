/// Token counts the way the fake provider bills them: about four characters per token, plus a
/// small per-message overhead like real chat templates, plus ``ImageInput/tokens`` per image.
enum TokenCount {
    static let charactersPerToken = 4
    static let overheadPerMessage = 3

    /// `max(1, ceil(characters of all contents / 4)) + 3 per message + 85 per image`.
    static func prompt(_ messages: [ChatMessage]) -> Int {
        let characters = messages.reduce(0) { $0 + $1.content.count }
        let images = messages.reduce(0) { $0 + $1.images.count }
        return max(1, tokens(forCharacters: characters)) + overheadPerMessage * messages.count + ImageInput.tokens * images
    }

    /// `max(1, ceil(characters / 4))`.
    static func completion(_ answer: String) -> Int {
        max(1, tokens(forCharacters: answer.count))
    }

    static func tokens(forCharacters characters: Int) -> Int {
        (characters + charactersPerToken - 1) / charactersPerToken
    }
}
