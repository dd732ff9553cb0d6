import Foundation

extension GraderOutcome {
    /// The outcomes stored as `grades` JSON, as `JSONDecoder` reads them; empty for nil or for
    /// text it cannot read.
    ///
    /// Outcomes as Tradeoff writes them (`json(of:)`) are read straight off the bytes
    /// (`plainDecoded`): `JSONDecoder` was 28% of a report's drill-down of every case. Whatever
    /// that reader cannot vouch for — judges' opinions, escaped or repeated keys, a value of the
    /// wrong type — goes to `JSONDecoder`, which has the last word.
    static func decoded(_ grades: String?) -> [GraderOutcome] {
        guard let grades else { return [] }
        if let outcomes = plainDecoded(grades) { return outcomes }
        return (try? JSONDecoder().decode([GraderOutcome].self, from: Data(grades.utf8))) ?? []
    }

    /// `grades` read by `JSONReader`, or nil when it gives up.
    static func plainDecoded(_ grades: String) -> [GraderOutcome]? {
        var text = grades
        return text.withUTF8 { bytes in
            var reader = JSONReader(UnsafeRawBufferPointer(bytes))
            var outcomes: [GraderOutcome] = []
            do {
                try reader.readArray { reader in outcomes.append(try read(&reader)) }
                try reader.end()
            } catch {
                return nil
            }
            return outcomes
        }
    }

    /// One outcome, read as `init(from:)` decodes it.
    private static func read(_ reader: inout JSONReader) throws -> GraderOutcome {
        var type: String?, score: Double?, passed: Bool?, weight: Double?, reason: String?
        var metric: String?, isError: Bool?, extracted: String?, online: Bool?
        // The keys read so far, a bit each: a repeated one is left to JSONDecoder (readers
        // differ on which one counts).
        var seen: UInt16 = 0
        func first(_ bit: UInt16) throws {
            guard seen & bit == 0 else { throw JSONReader.Unsupported() }
            seen |= bit
        }
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "type": try first(1 << 0); type = try reader.readString()
            case "score": try first(1 << 1); score = try reader.readDouble()
            case "passed": try first(1 << 2); passed = try reader.skipNull() ? nil : reader.readBool()
            case "weight": try first(1 << 3); weight = try reader.readDouble()
            case "reason": try first(1 << 4); reason = try reader.readString()
            case "metric": try first(1 << 5); metric = try reader.skipNull() ? nil : reader.readString()
            case "error": try first(1 << 6); isError = try reader.skipNull() ? nil : reader.readBool()
            case "extracted": try first(1 << 7); extracted = try reader.skipNull() ? nil : reader.readString()
            case "online": try first(1 << 8); online = try reader.skipNull() ? nil : reader.readBool()
            case "judges": throw JSONReader.Unsupported()
            default: try reader.skipValue()
            }
        }
        guard let type, let score, let weight, let reason else { throw JSONReader.Unsupported() }
        var outcome = GraderOutcome(type: type, score: score, passed: passed, weight: weight, reason: reason, metric: metric,
                                    isError: isError ?? false, extracted: extracted)
        outcome.online = online ?? false
        return outcome
    }
}
