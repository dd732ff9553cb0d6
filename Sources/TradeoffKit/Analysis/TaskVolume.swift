import Foundation

/// A task's share of production traffic (`volume:` on a task), which weighs the task in the
/// portfolio's quality and cost instead of its number of cases.
///
/// Written three ways, and a suite uses one way for all its tasks: a share (`40%`), a bare
/// weight (`3`, relative to the other tasks'), or a monthly volume (`500k/month`, which also
/// states the suite's total volume).
public enum TaskVolume: Sendable, Hashable {
    /// A percentage of the traffic, as a fraction (`40%` is 0.4).
    case share(Double)
    /// A weight relative to the other tasks' weights.
    case weight(Double)
    /// Cases per month.
    case monthly(Volume)

    /// Parses `40%`, `2.5`, `500k/month` (the forms of `Volume` with `/month` written).
    ///
    /// - Throws: `VolumeError` for anything else, a share above 100% or a weight not above 0.
    public init(parsing text: String) throws {
        let body = text.trimmingCharacters(in: .whitespaces)
        if body.lowercased().hasSuffix("/month") {
            self = .monthly(try Volume(parsing: body))
            return
        }
        if body.hasSuffix("%") {
            guard let percent = Double(body.dropLast().trimmingCharacters(in: .whitespaces)), percent > 0, percent <= 100
            else { throw VolumeError(text: text, expectation: Self.expectation) }
            self = .share(percent / 100)
            return
        }
        guard body.wholeMatch(of: /[0-9]+(\.[0-9]+)?/) != nil, let weight = Double(body), weight > 0 else {
            throw VolumeError(text: text, expectation: Self.expectation)
        }
        self = .weight(weight)
    }

    /// What a task's `volume:` may be, for errors.
    static let expectation = "a share like '40%', a weight like '3' or a monthly volume like '500k/month'"

    /// The task's weight before the tasks' weights are made to sum to 1.
    public var rawWeight: Double {
        switch self {
        case .share(let share): share
        case .weight(let weight): weight
        case .monthly(let volume): Double(volume.casesPerMonth)
        }
    }

    /// `share`, `weight` or `monthly`: a suite writes every task's volume the same way.
    public var form: String {
        switch self {
        case .share: "share"
        case .weight: "weight"
        case .monthly: "monthly volume"
        }
    }

    /// The tasks' weights (summing to 1) when every task states a volume the same way, else nil.
    ///
    /// - Parameter volumes: Each task's volume as written, in task order.
    public static func weights(_ volumes: [String?]) -> [Double]? {
        let parsed = volumes.map { $0.flatMap { try? TaskVolume(parsing: $0) } }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else { return nil }
        let total = parsed.reduce(0) { $0 + $1!.rawWeight }
        guard total > 0 else { return nil }
        return parsed.map { $0!.rawWeight / total }
    }

    /// The suite's monthly volume when every task states one (`500k/month`): their sum.
    public static func total(_ volumes: [String?]) -> Volume? {
        var sum: Int64 = 0
        for text in volumes {
            guard let text, case .monthly(let volume)? = try? TaskVolume(parsing: text) else { return nil }
            sum = sum.addingReportingOverflow(volume.casesPerMonth).overflow ? Int64.max : sum + volume.casesPerMonth
        }
        return volumes.isEmpty ? nil : Volume(casesPerMonth: sum)
    }
}
