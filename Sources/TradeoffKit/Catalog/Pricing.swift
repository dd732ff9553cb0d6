import Foundation

/// How a model is priced: per token (an API) or by the hour (a deployment you run).
public enum Pricing: Sendable, Hashable, Codable {
    /// USD per million tokens, per request, by context length and batch.
    case tokens(Price)
    /// USD per hour of a self-hosted deployment.
    case hourly(HourlyPrice)

    /// The token price, if priced per token.
    public var tokens: Price? {
        if case .tokens(let price) = self { return price }
        return nil
    }

    /// The hourly price, if priced by the hour.
    public var hourly: HourlyPrice? {
        if case .hourly(let price) = self { return price }
        return nil
    }

    /// The price catalog entry it came from, if any.
    public var id: String? {
        get {
            switch self {
            case .tokens(let price): price.id
            case .hourly(let price): price.id
            }
        }
        set {
            switch self {
            case .tokens(var price): price.id = newValue; self = .tokens(price)
            case .hourly(var price): price.id = newValue; self = .hourly(price)
            }
        }
    }

    /// The day the prices were last known to be right.
    public var asOf: CalendarDay? {
        switch self {
        case .tokens(let price): price.asOf
        case .hourly(let price): price.asOf
        }
    }

    /// Where the prices came from.
    public var source: String? {
        switch self {
        case .tokens(let price): price.source
        case .hourly(let price): price.source
        }
    }

    /// Whether the billed amounts equal `other`'s, whatever the dates and sources.
    public func samePrices(as other: Pricing) -> Bool {
        switch (self, other) {
        case (.tokens(let a), .tokens(let b)): return a.samePrices(as: b)
        case (.hourly(var a), .hourly(var b)):
            (a.id, a.asOf, a.source) = (nil, nil, nil)
            (b.id, b.asOf, b.source) = (nil, nil, nil)
            return a == b
        default: return false
        }
    }
}

extension ModelEntry {
    /// The model's pricing, per token or by the hour; nil when it is unpriced.
    public var pricing: Pricing? {
        if let price { return .tokens(price) }
        return hourlyPrice.map { .hourly($0) }
    }
}
