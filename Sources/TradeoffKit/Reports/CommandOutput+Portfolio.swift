import Foundation

/// `plan`'s `portfolio` object: what its last text line says, as data.
extension CommandOutput {
    /// The forecast as an object with the same keys whatever it holds: the run it comes from,
    /// why there is no portfolio (`skipped`: `no-run` before any run of the suite, else the
    /// report's code), the routes (`task`, `model`, `reason`, as the report's `routing`), the
    /// cost per 1,000 cases, the volume and the monthly cost of the portfolio and of the
    /// reference alone, and the sentence the text prints (`message`).
    ///
    /// - Parameter forecast: The forecast `plan` printed.
    static func portfolio(_ forecast: PortfolioForecast) -> JSONValue {
        let portfolio = forecast.routing?.portfolio
        let skipped: JSONValue = if let routing = forecast.routing {
            routing.skip.map { .string($0.code) } ?? .null
        } else {
            .string("no-run")
        }
        let routes: [JSONValue] = (portfolio?.routes ?? []).map { route in
            .object(["task": .string(route.taskID), "model": .string(route.modelID), "reason": .string(route.reason.label)])
        }
        return .object([
            "run_id": forecast.runID.map { .integer(Int($0)) } ?? .null,
            "skipped": skipped,
            "skipped_model": forecast.routing?.skip?.modelID.map(JSONValue.string) ?? .null,
            "reference": portfolio.map { .string($0.referenceID) } ?? .null,
            "routes": .array(routes),
            "cost_per_1k_cases_micros": micros(portfolio?.costPer1kCasesMicros),
            "volume": forecast.volume.map { .string($0.description) } ?? .null,
            "cases_per_month": forecast.volume.map { .integer(Int($0.casesPerMonth)) } ?? .null,
            "monthly_cost_micros": micros(forecast.monthlyCostMicros),
            "reference_monthly_cost_micros": micros(forecast.referenceMonthlyCostMicros),
            "message": .string(forecast.lines.joined(separator: "\n")),
        ])
    }
}
