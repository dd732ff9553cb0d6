import Foundation

extension OpenAIChatCompletions {
    /// `x-ratelimit-remaining-{requests,tokens}`, with `x-ratelimit-reset-{requests,tokens}` as
    /// durations (`6m0s`, `12ms`, `1s`). OpenAI, Azure, Groq and most compatible gateways send them.
    func rateLimits(in headers: [String: String], now: Date) -> RateLimitHeaders? {
        // The names are constants: spelling them out for every reply cost an allocation each.
        func allowance(remaining: String, reset: String) -> RateLimitHeaders.Allowance? {
            guard let remaining = RateLimitHeaders.count(headers[remaining]) else { return nil }
            return RateLimitHeaders.Allowance(remaining: remaining,
                                              resetsIn: headers[reset].flatMap(Self.seconds(fromDuration:)) ?? 0)
        }
        let found = RateLimitHeaders(requests: allowance(remaining: "x-ratelimit-remaining-requests",
                                                         reset: "x-ratelimit-reset-requests"),
                                     tokens: allowance(remaining: "x-ratelimit-remaining-tokens", reset: "x-ratelimit-reset-tokens"))
        return found.requests == nil && found.tokens == nil ? nil : found
    }

    /// Seconds in a Go-style duration like `6m0s`, `1.5s`, `12ms`, `1h2m`; nil when it is not one.
    static func seconds(fromDuration text: String) -> Double? {
        var total = 0.0
        var number = ""
        var unit = ""
        var matched = false
        func flush() -> Bool {
            guard let value = Double(number) else { return false }
            switch unit {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s", "": total += value
            case "ms": total += value / 1000
            default: return false
            }
            matched = true
            number = ""
            unit = ""
            return true
        }
        for char in text.trimmingCharacters(in: .whitespaces) {
            if char.isNumber || char == "." {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(char)
            } else if char.isLetter {
                unit.append(char)
            } else {
                return nil
            }
        }
        if !number.isEmpty { guard flush() else { return nil } }
        return matched ? total : nil
    }
}
