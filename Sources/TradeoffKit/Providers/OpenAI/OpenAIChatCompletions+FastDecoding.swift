import Foundation

extension OpenAIChatCompletions.Completion {
    /// Decodes a completion (or a stream chunk) as `ReplyJSON` would, when `JSONReader` can
    /// vouch for it; nil when it cannot (the caller then asks `ReplyJSON`). Any other key is
    /// skipped, as the decoder skips it; a repeated key's last value wins; an `error` object or a
    /// `cost` are left to the decoder.
    static func fastDecoded(from text: String) -> Self? {
        var text = text
        return text.withUTF8 { fastDecoded(from: UnsafeRawBufferPointer($0)) }
    }

    /// The same, from a response body.
    static func fastDecoded(from body: Data) -> Self? {
        body.withUnsafeBytes { fastDecoded(from: $0) }
    }

    /// The same, from bytes.
    static func fastDecoded(from utf8: UnsafeRawBufferPointer) -> Self? {
        var reader = JSONReader(utf8)
        do {
            let completion = try Self(reading: &reader)
            try reader.end()
            return completion
        } catch {
            return nil
        }
    }

    private init(reading reader: inout JSONReader) throws {
        self.init()
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "id": id = try reader.skipNull() ? nil : reader.readString()
            case "model": model = try reader.skipNull() ? nil : reader.readString()
            case "provider": provider = try reader.skipNull() ? nil : reader.readString()
            case "choices":
                if try !reader.skipNull() {
                    var choices: [Choice] = []
                    try reader.readArray { choices.append(try Choice(reading: &$0)) }
                    self.choices = choices
                }
            case "usage":
                usage = try reader.skipNull() ? nil : OpenAIChatCompletions.UsageBlock(reading: &reader)
            case "x_groq":
                if try !reader.skipNull() {
                    var groq = Groq()
                    try reader.beginObject()
                    while let key = try reader.nextKey() {
                        switch key {
                        case "usage":
                            groq.usage = try reader.skipNull() ? nil : OpenAIChatCompletions.UsageBlock(reading: &reader)
                        default: try reader.skipValue()
                        }
                    }
                    x_groq = groq
                }
            case "error":
                guard try reader.skipNull() else { throw JSONReader.Unsupported() }
            default:
                try reader.skipValue()
            }
        }
    }
}

extension OpenAIChatCompletions.Completion.Choice {
    fileprivate init(reading reader: inout JSONReader) throws {
        self.init()
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "message": message = try reader.skipNull() ? nil : Message(reading: &reader)
            case "delta": delta = try reader.skipNull() ? nil : Message(reading: &reader)
            case "finish_reason": finish_reason = try reader.skipNull() ? nil : reader.readString()
            // Logprobs are asked for rarely and read leniently: the decoder reads them.
            case "logprobs": guard try reader.skipNull() else { throw JSONReader.Unsupported() }
            default: try reader.skipValue()
            }
        }
    }
}

extension OpenAIChatCompletions.Completion.Choice.Message {
    fileprivate init(reading reader: inout JSONReader) throws {
        self.init()
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "content": content = try reader.skipNull() ? nil : reader.readString()
            case "refusal": refusal = try reader.skipNull() ? nil : reader.readString()
            // Tool calls are rare: the decoder reads them.
            case "tool_calls": guard try reader.skipNull() else { throw JSONReader.Unsupported() }
            default: try reader.skipValue()
            }
        }
    }
}

extension OpenAIChatCompletions.UsageBlock {
    fileprivate init(reading reader: inout JSONReader) throws {
        self.init()
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "prompt_tokens": prompt_tokens = try reader.skipNull() ? nil : reader.readInt()
            case "completion_tokens": completion_tokens = try reader.skipNull() ? nil : reader.readInt()
            case "prompt_tokens_details":
                if try !reader.skipNull() {
                    prompt_tokens_details = PromptDetails(cached_tokens: try Self.readCount("cached_tokens", &reader))
                }
            case "completion_tokens_details":
                if try !reader.skipNull() {
                    completion_tokens_details = CompletionDetails(reasoning_tokens: try Self.readCount("reasoning_tokens", &reader))
                }
            case "cost":
                // A price is a Decimal: JSONDecoder reads those.
                guard try reader.skipNull() else { throw JSONReader.Unsupported() }
            default:
                try reader.skipValue()
            }
        }
    }

    /// The one integer member `name` of an object (nil when absent or null), skipping the rest.
    private static func readCount(_ name: StaticString, _ reader: inout JSONReader) throws -> Int? {
        var count: Int?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            if name ~= key {
                count = try reader.skipNull() ? nil : reader.readInt()
            } else {
                try reader.skipValue()
            }
        }
        return count
    }
}
