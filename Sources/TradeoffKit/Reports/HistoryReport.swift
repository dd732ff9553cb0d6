import Foundation

/// `tradeoff history`: one model's quality, cost and latency across the runs of a database, as
/// a Markdown table and an SVG sparkline chart (one small chart per measure).
public struct HistoryReport: Sendable {
    /// The history.
    public var history: ModelHistory

    /// A report of `history`.
    public init(_ history: ModelHistory) {
        self.history = history
    }

    /// The title and the table as a neutral document.
    public var document: ReportDocument { ReportDocument(HistorySection(history).blocks) }

    /// The table as Markdown, ending with a newline.
    public func markdown() -> String {
        MarkdownRenderer().render(document)
    }

    /// Three sparklines (quality with its interval band, cost per case, p95 latency), oldest run
    /// on the left; ends with a newline.
    public func svg() -> String {
        let width = 640.0
        let rowHeight = 90.0
        let left = 150.0
        let right = width - 90
        let entries = history.entries
        let measures: [(String, [Double?], (Double) -> String)] = [
            ("Quality", entries.map(\.summary.quality), { Formatting.quality($0) }),
            ("Cost / case", entries.map { $0.summary.exactCostPerCase }, { Formatting.money(exact: $0) }),
            ("p95 latency", entries.map { $0.summary.latency?.p95 }, { Formatting.milliseconds($0) }),
        ]
        let height = 40 + rowHeight * Double(measures.count) + 20
        var svg = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(FrontierChart.f(width))\" height=\"\(FrontierChart.f(height))\" "
                + "viewBox=\"0 0 \(FrontierChart.f(width)) \(FrontierChart.f(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">",
            "<title>\(XMLText.escape(history.modelID)): history</title>",
            "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
            FrontierChart.text(x: 16, y: 24, "\(history.modelID) across \(Formatting.count(entries.count, "run"))",
                               size: 14, weight: "bold"),
        ]
        func x(_ index: Int) -> Double {
            entries.count < 2 ? (left + right) / 2 : left + Double(index) / Double(entries.count - 1) * (right - left)
        }
        for (row, (name, values, format)) in measures.enumerated() {
            let top = 40 + rowHeight * Double(row) + 10
            let bottom = top + rowHeight - 30
            svg.append(FrontierChart.text(x: 16, y: (top + bottom) / 2 + 4, name))
            var known = values.compactMap { $0 }
            if row == 0 {
                known += entries.compactMap { $0.summary.qualityInterval?.lower }
                known += entries.compactMap { $0.summary.qualityInterval?.upper }
            }
            guard let low = known.min(), let high = known.max() else {
                svg.append(FrontierChart.text(x: left, y: (top + bottom) / 2 + 4, "no data"))
                continue
            }
            let span = high - low > 0 ? high - low : max(abs(high), 1e-9)
            func y(_ value: Double) -> Double {
                high - low > 0 ? bottom - (value - low) / span * (bottom - top) : (top + bottom) / 2
            }
            svg.append("<line x1=\"\(FrontierChart.f(left))\" y1=\"\(FrontierChart.f(bottom + 6))\" x2=\"\(FrontierChart.f(right))\" "
                       + "y2=\"\(FrontierChart.f(bottom + 6))\" stroke=\"#dddddd\"/>")
            if row == 0 {
                for (index, entry) in entries.enumerated() {
                    guard let interval = entry.summary.qualityInterval else { continue }
                    svg.append("<line x1=\"\(FrontierChart.f(x(index)))\" y1=\"\(FrontierChart.f(y(interval.upper)))\" "
                               + "x2=\"\(FrontierChart.f(x(index)))\" y2=\"\(FrontierChart.f(y(interval.lower)))\" "
                               + "stroke=\"#9ecae1\" stroke-width=\"3\"/>")
                }
            }
            let points = values.enumerated().compactMap { index, value in
                value.map { "\(FrontierChart.f(x(index))),\(FrontierChart.f(y($0)))" }
            }
            if points.count > 1 {
                svg.append("<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#3182bd\" stroke-width=\"2\"/>")
            }
            for (index, value) in values.enumerated() {
                guard let value else { continue }
                svg.append("<circle cx=\"\(FrontierChart.f(x(index)))\" cy=\"\(FrontierChart.f(y(value)))\" r=\"3\" fill=\"#3182bd\">"
                           + "<title>run \(entries[index].runID): \(XMLText.escape(format(value)))</title></circle>")
            }
            if let lastIndex = values.lastIndex(where: { $0 != nil }), let last = values[lastIndex] {
                svg.append(FrontierChart.text(x: right + 10, y: y(last) + 4, format(last)))
            }
        }
        if let first = entries.first, let last = entries.last {
            svg.append(FrontierChart.text(x: left, y: height - 8, "run \(first.runID)", anchor: "middle"))
            if entries.count > 1 { svg.append(FrontierChart.text(x: right, y: height - 8, "run \(last.runID)", anchor: "middle")) }
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }
}
