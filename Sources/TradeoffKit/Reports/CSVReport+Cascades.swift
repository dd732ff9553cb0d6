import Foundation

/// The cascades' rows of the routing file.
extension CSVReport {
    /// One row per cascade (`row` = `cascade`): its cases, quality, cost per 1,000 cases and at
    /// the volume; the last model as `reference_id` with its quality, cost and the ratios to it;
    /// then the cascade's own columns (models, checks, escalation rate, PGR, the paired Δ with
    /// the last model, the checks' cost).
    func cascadeRows(_ prefix: [String]) -> [[String]] {
        summary.cascades.map { cascade in
            let comparison = cascade.versusLast
            var row = prefix + ["cascade", "", "\(cascade.cases)", "", cascade.lastModelID,
                                cascade.automatic ? "automatic" : "suite", "\(comparison.cases)"]
            row += [Self.fraction(cascade.quality), "", "", "", "", Self.cell(cascade.costPer1kCasesMicros, Self.usd),
                    Self.cell(cascade.monthlyCostMicros, Self.usd), cascade.lastModelID, Self.fraction(cascade.lastQuality),
                    Self.cell(cascade.lastCostPer1kCasesMicros, Self.usd), Self.cell(comparison.relativeQuality, Self.fraction),
                    Self.cell(comparison.relativeQualityInterval?.lower, Self.fraction),
                    Self.cell(comparison.relativeQualityInterval?.upper, Self.fraction),
                    Self.cell(cascade.relativeCost, Self.fraction)]
            row += Array(repeating: "", count: 7)
            row += [Self.cell(cascade.latencyP50Ms, Self.milliseconds), Self.cell(cascade.latencyP95Ms, Self.milliseconds),
                    cascade.spec.models.joined(separator: " "), cascade.spec.escalateWhen?.joined(separator: " ") ?? "",
                    Self.fraction(cascade.escalationRate), Self.cell(cascade.pgr, Self.fraction),
                    Self.cell(comparison.difference, Self.fraction),
                    Self.cell(comparison.differenceInterval?.lower, Self.fraction),
                    Self.cell(comparison.differenceInterval?.upper, Self.fraction),
                    Self.cell(cascade.checkCostPer1kCasesMicros, Self.usd)]
            return row
        }
    }
}
