import Foundation

extension OpenAIChatCompletions.Completion {
    /// Decodes a completion (or a stream chunk) as `JSONDecoder` would, when `JSONReader` can
    /// vouch for it; nil when it cannot (the caller then asks `JSONDecoder`). Any other key is
    /// skipped, as the decoder skips it; an `error` object or a `cost` are left to the decoder.
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
        var seen = Seen()
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "id": try seen.first(0); id = try reader.skipNull() ? nil : reader.readString()
            case "model": try seen.first(1); model = try reader.skipNull() ? nil : reader.readString()
            case "provider": try seen.first(2); provider = try reader.skipNull() ? nil : reader.readString()
            case "choices":
                try seen.first(3)
                if try !reader.skipNull() {
                    var choices: [Choice] = []
                    try reader.readArray { choices.append(try Choice(reading: &$0)) }
                    self.choices = choices
                }
            case "usage":
                try seen.first(4)
                usage = try reader.skipNull() ? nil : OpenAIChatCompletions.UsageBlock(reading: &reader)
            case "x_groq":
                try seen.first(5)
                if try !reader.skipNull() {
                    var groq = Groq()
                    var seenInGroq = Seen()
                    try reader.beginObject()
                    while let key = try reader.nextKey() {
                        switch key {
                        case "usage":
                            try seenInGroq.first(0)
                            groq.usage = try reader.skipNull() ? nil : OpenAIChatCompletions.UsageBlock(reading: &reader)
                        default: try reader.skipValue()
                        }
                    }
                    x_groq = groq
                }
            case "error":
                try seen.first(6)
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
        var seen = Seen()
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "message": try seen.first(0); message = try reader.skipNull() ? nil : Message(reading: &reader)
            case "delta": try seen.first(1); delta = try reader.skipNull() ? nil : Message(reading: &reader)
            case "finish_reason": try seen.first(2); finish_reason = try reader.skipNull() ? nil : reader.readString()
            default: try reader.skipValue()
            }
        }
    }
}

extension OpenAIChatCompletions.Completion.Choice.Message {
    fileprivate init(reading reader: inout JSONReader) throws {
        self.init()
        var seen = Seen()
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "content": try seen.first(0); content = try reader.skipNull() ? nil : reader.readString()
            case "refusal": try seen.first(1); refusal = try reader.skipNull() ? nil : reader.readString()
            default: try reader.skipValue()
            }
        }
    }
}

extension OpenAIChatCompletions.UsageBlock {
    fileprivate init(reading reader: inout JSONReader) throws {
        self.init()
        var seen = Seen()
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "prompt_tokens": try seen.first(0); prompt_tokens = try reader.skipNull() ? nil : reader.readInt()
            case "completion_tokens": try seen.first(1); completion_tokens = try reader.skipNull() ? nil : reader.readInt()
            case "prompt_tokens_details":
                try seen.first(2)
                if try !reader.skipNull() {
                    prompt_tokens_details = PromptDetails(cached_tokens: try Self.readCount("cached_tokens", &reader))
                }
            case "completion_tokens_details":
                try seen.first(3)
                if try !reader.skipNull() {
                    completion_tokens_details = CompletionDetails(reasoning_tokens: try Self.readCount("reasoning_tokens", &reader))
                }
            case "cost":
                // A price is a Decimal: JSONDecoder reads those.
                try seen.first(4)
                guard try reader.skipNull() else { throw JSONReader.Unsupported() }
            default:
                try reader.skipValue()
            }
        }
    }

    /// The one integer member `name` of an object (nil when absent or null), skipping the rest.
    private static func readCount(_ name: StaticString, _ reader: inout JSONReader) throws -> Int? {
        var count: Int?
        var seen = Seen()
        try reader.beginObject()
        while let key = try reader.nextKey() {
            if name ~= key {
                try seen.first(0)
                count = try reader.skipNull() ? nil : reader.readInt()
            } else {
                try reader.skipValue()
            }
        }
        return count
    }
}

/// The known keys met so far in one object: `JSONDecoder` keeps the first of a repeated key,
/// which this reader does not try to match.
private struct Seen {
    private var bits: UInt8 = 0

    mutating func first(_ key: Int) throws {
        guard bits & (1 << key) == 0 else { throw JSONReader.Unsupported() }
        bits |= 1 << key
    }
}
