import Foundation

/// Adds up the token logprobs of a reply, read leniently from whatever the provider sent:
/// a value that is not a finite number at most 0 makes the whole answer's logprobs unusable
/// (with the reason), never a crash, a failed call or a probability above 1.
struct LogprobTally {
    private var sum = 0.0
    private var count = 0
    /// The first problem met; once set, the tally is unusable.
    private(set) var problem: String?
    /// Whether any logprob (or a problem with one) was seen.
    private(set) var seen = false

    /// Adds one token's logprob, as sent.
    ///
    /// - Parameter what: Where it was, for the reason (`choices[0].logprobs.content[3].logprob`).
    mutating func add(_ value: JSONValue?, at what: @autoclosure () -> String) {
        seen = true
        guard problem == nil else { return }
        guard let number = Self.number(value) else {
            problem = "\(what()) is \(Self.describe(value)), not a number"
            return
        }
        guard number.isFinite, number <= 0 else {
            problem = "\(what()) is \(number), but a log probability is a finite number at most 0"
            return
        }
        sum += number
        count += 1
    }

    /// Marks the logprobs unusable for `reason` (a list that is not a list, ...).
    mutating func fail(_ reason: String) {
        seen = true
        if problem == nil { problem = reason }
    }

    /// The mean over the tokens added; nil when nothing was seen.
    var logprobs: Logprobs? {
        guard seen else { return nil }
        if let problem { return .unusable(reason: problem) }
        guard count > 0 else { return .unusable(reason: "the provider's logprobs list no token") }
        let mean = sum / Double(count)
        // Thousands of very negative values can sum past -Double.greatestFiniteMagnitude.
        guard mean.isFinite else { return .unusable(reason: "the provider's logprobs do not add up to a finite mean") }
        return .recorded(mean: mean, tokens: count)
    }

    /// A mean the provider computed itself (Gemini's `avgLogprobs`), checked alike.
    static func mean(_ value: JSONValue?, at what: String) -> Logprobs? {
        guard let value, value != .null else { return nil }
        var tally = LogprobTally()
        tally.add(value, at: what)
        guard case .recorded(let mean, _)? = tally.logprobs else { return tally.logprobs }
        return .recorded(mean: mean, tokens: nil)
    }

    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let integer)?: Double(integer)
        case .number(let number)?: number
        default: nil
        }
    }

    private static func describe(_ value: JSONValue?) -> String {
        switch value {
        case nil: "missing"
        case .null?: "null"
        case .string(let text)?: "the string '\(text.prefix(40))'"
        case .bool(let flag)?: flag ? "true" : "false"
        case .array?: "a list"
        case .object?: "an object"
        case .integer?, .number?: "a number"
        }
    }
}

/// A JSON value that never fails to decode: nil when the bytes are not one the decoder can
/// represent (a number past Double's range), so a hostile logprob cannot cost the answer.
struct LenientJSON: Decodable, Hashable {
    var value: JSONValue?

    init(_ value: JSONValue?) { self.value = value }

    init(from decoder: any Decoder) throws {
        value = try? JSONValue(from: decoder)
    }
}
