import Foundation

/// The cost–quality chart of a run as SVG: cost per case on a log axis against quality, with
/// each model's 95% interval as a bar, open and frontier models drawn apart (circles and
/// squares), the Pareto frontier as a line, and the cascades the report weighs as diamonds
/// (what-ifs, not models: they never join the frontier line).
///
/// Rendered by our code, with fixed number formatting, so the same summary always gives the same
/// bytes; model ids are XML-escaped.
public struct FrontierChart: Sendable {
    /// What the chart shows.
    public var summary: RunSummary

    /// The chart of `summary`.
    public init(_ summary: RunSummary) {
        self.summary = summary
    }

    static let width = 760.0
    static let height = 490.0
    static let plot = (left: 80.0, right: 700.0, top: 56.0, bottom: 380.0)
    static let openColor = "#e6550d"
    static let frontierColor = "#3182bd"
    static let cascadeColor = "#756bb1"

    /// The cascades drawn: the suite's own and the one the report's headline names, priced.
    var cascades: [(cascade: Cascade, cost: Double)] {
        let best = CascadesPart.best(summary.cascades)
        return summary.cascades.compactMap { cascade in
            guard !cascade.automatic || cascade == best, let per1k = cascade.costPer1kCasesMicros else { return nil }
            return (cascade, Double(per1k) / 1_000 / 1_000_000)
        }
    }

    private struct Point {
        var model: ModelSummary
        var cost: Double  // USD per case
        var onFrontier: Bool
    }

    /// The SVG document, ending with a newline.
    ///
    /// - Parameter focusablePoints: Whether each model's point is reachable from the keyboard, for
    ///   the page that inlines the chart: focusable (`tabindex="0"`), named for assistive technology
    ///   (`role="img"`, labelled by its title, which says what its hover says), and carrying those details as a box
    ///   of its own, hidden until the page's stylesheet shows it on hover or focus. The chart file
    ///   has none of it: outside a page nothing would show the box.
    public func render(focusablePoints: Bool = false) -> String {
        let points: [Point] = summary.frontier.points.compactMap { point in
            guard let model = summary.model(point.modelID) else { return nil }
            return Point(model: model, cost: point.costPerCaseMicros / 1_000_000, onFrontier: point.onFrontier)
        }
        let plot = Self.plot
        var svg: [String] = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.f(Self.width))\" height=\"\(Self.f(Self.height))\" "
                + "viewBox=\"0 0 \(Self.f(Self.width)) \(Self.f(Self.height))\" font-family=\"Helvetica, Arial, sans-serif\" "
                + "font-size=\"12\" role=\"img\" aria-labelledby=\"title\">",
            "<title id=\"title\">Cost per case against quality: \(XMLText.escape(summary.run.suite))</title>",
            "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
            Self.text(x: plot.left, y: 28, "Cost per case against quality — \(summary.run.suite)", size: 15, weight: "bold"),
        ]
        guard !points.isEmpty else {
            svg.append(Self.text(x: plot.left, y: 80, "No priced model answered any case: nothing to plot."))
            return (svg + ["</svg>"]).joined(separator: "\n") + "\n"
        }

        // Axes: log10 of cost, whole decades with at least a third of one beyond the cheapest and
        // the dearest model, so no point sits on the frame.
        let cascades = self.cascades
        let positive = (points.map(\.cost) + cascades.map { $0.cost }).filter { $0 > 0 }
        var low = floor(log10(positive.min() ?? 1e-6) - 0.3)
        var high = ceil(log10(positive.max() ?? 1e-6) + 0.3)
        if high - low < 1 { low -= 1; high += 1 }
        let lowestQuality = (points.map { min($0.model.qualityInterval?.lower ?? $0.model.quality!, $0.model.quality!) }
            + cascades.map { $0.cascade.quality }).min()!
        var bottom = max(0, floor(lowestQuality * 10 - 1e-9) / 10)
        if bottom >= 1 { bottom = 0.9 }
        func x(_ cost: Double) -> Double {
            let value = cost > 0 ? log10(cost) : low
            return plot.left + (value - low) / (high - low) * (plot.right - plot.left)
        }
        func y(_ quality: Double) -> Double {
            plot.bottom - (quality - bottom) / (1 - bottom) * (plot.bottom - plot.top)
        }

        svg.append("<g stroke=\"#e0e0e0\" stroke-width=\"1\">")
        for decade in stride(from: low, through: high, by: 1) {
            svg.append("<line x1=\"\(Self.f(x(pow(10, decade))))\" y1=\"\(Self.f(plot.top))\" x2=\"\(Self.f(x(pow(10, decade))))\" y2=\"\(Self.f(plot.bottom))\"/>")
        }
        let step = 1 - bottom <= 0.3 ? 0.05 : 0.1
        let ticks = stride(from: bottom, through: 1.0 + 1e-9, by: step).map { $0 }
        for tick in ticks {
            svg.append("<line x1=\"\(Self.f(plot.left))\" y1=\"\(Self.f(y(tick)))\" x2=\"\(Self.f(plot.right))\" y2=\"\(Self.f(y(tick)))\"/>")
        }
        svg.append("</g>")
        svg.append("<rect x=\"\(Self.f(plot.left))\" y=\"\(Self.f(plot.top))\" width=\"\(Self.f(plot.right - plot.left))\" "
                   + "height=\"\(Self.f(plot.bottom - plot.top))\" fill=\"none\" stroke=\"#666666\"/>")
        for decade in stride(from: low, through: high, by: 1) {
            svg.append(Self.text(x: x(pow(10, decade)), y: plot.bottom + 18, Self.dollars(decade: Int(decade)), anchor: "middle"))
        }
        for tick in ticks {
            svg.append(Self.text(x: plot.left - 8, y: y(tick) + 4, String(format: "%.2f", tick), anchor: "end"))
        }
        svg.append(Self.text(x: (plot.left + plot.right) / 2, y: plot.bottom + 42, "Cost per case (USD, log scale)",
                             anchor: "middle"))
        svg.append("<text x=\"20\" y=\"\(Self.f((plot.top + plot.bottom) / 2))\" text-anchor=\"middle\" "
                   + "transform=\"rotate(-90 20 \(Self.f((plot.top + plot.bottom) / 2)))\">Quality (mean case score)</text>")

        // The frontier, then each model: interval bar, marker, label.
        let frontier = points.filter(\.onFrontier).sorted { $0.cost < $1.cost }
        if frontier.count > 1 {
            let path = frontier.map { "\(Self.f(x($0.cost))),\(Self.f(y($0.model.quality!)))" }.joined(separator: " ")
            svg.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"#31a354\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>")
        }
        let labels = Self.placeLabels(points.map { point in
            (x: x(point.cost), y: y(point.model.quality!), text: point.model.modelID + (point.cost > 0 ? "" : " (free)"))
        } + cascades.map { (x: x($0.cost), y: y($0.cascade.quality), text: $0.cascade.spec.name) })
        for (index, point) in points.enumerated() {
            let model = point.model
            let (px, py) = (x(point.cost), y(model.quality!))
            let color = model.modelClass == .frontier ? Self.frontierColor : Self.openColor
            let tooltip = XMLText.escape(Self.tooltip(model, onFrontier: point.onFrontier))
            if focusablePoints {
                // Named by its title, by position: no model id reaches an attribute.
                let id = "chart-point-\(index + 1)"
                svg.append("<g class=\"point\" tabindex=\"0\" role=\"img\" aria-labelledby=\"\(id)\">")
                svg.append("<title id=\"\(id)\">\(tooltip)</title>")
            } else {
                svg.append("<g>")
                svg.append("<title>\(tooltip)</title>")
            }
            if let interval = model.qualityInterval {
                let (top, bottom) = (y(interval.upper), y(max(interval.lower, bottom)))
                svg.append("<line x1=\"\(Self.f(px))\" y1=\"\(Self.f(top))\" x2=\"\(Self.f(px))\" y2=\"\(Self.f(bottom))\" stroke=\"\(color)\" stroke-width=\"1.5\"/>")
                for end in [top, bottom] {
                    svg.append("<line x1=\"\(Self.f(px - 5))\" y1=\"\(Self.f(end))\" x2=\"\(Self.f(px + 5))\" y2=\"\(Self.f(end))\" stroke=\"\(color)\" stroke-width=\"1.5\"/>")
                }
            }
            let fill = point.onFrontier ? color : "#ffffff"
            if model.modelClass == .frontier {
                svg.append("<rect x=\"\(Self.f(px - 6))\" y=\"\(Self.f(py - 6))\" width=\"12\" height=\"12\" fill=\"\(fill)\" stroke=\"\(color)\" stroke-width=\"2\"/>")
            } else {
                svg.append("<circle cx=\"\(Self.f(px))\" cy=\"\(Self.f(py))\" r=\"6\" fill=\"\(fill)\" stroke=\"\(color)\" stroke-width=\"2\"/>")
            }
            let label = labels[index]
            svg.append(Self.text(x: label.x, y: label.y, label.text, anchor: label.anchor, halo: true))
            if focusablePoints { svg += Self.details(model, onFrontier: point.onFrontier, at: (px, py)) }
            svg.append("</g>")
        }

        for (index, item) in cascades.enumerated() {
            let (px, py) = (x(item.cost), y(item.cascade.quality))
            let corners = [(px, py - 7), (px + 7, py), (px, py + 7), (px - 7, py)].map { "\(Self.f($0.0)),\(Self.f($0.1))" }
            svg.append("<g>")
            svg.append("<title>\(XMLText.escape(Self.tooltip(item.cascade)))</title>")
            svg.append("<polygon points=\"\(corners.joined(separator: " "))\" fill=\"#ffffff\" stroke=\"\(Self.cascadeColor)\" stroke-width=\"2\"/>")
            let label = labels[points.count + index]
            svg.append(Self.text(x: label.x, y: label.y, label.text, anchor: label.anchor, halo: true))
            svg.append("</g>")
        }

        // Legend, in a row under the axis title.
        let legendY = plot.bottom + 64
        var legendX = plot.left
        svg.append("<rect x=\"\(Self.f(legendX))\" y=\"\(Self.f(legendY - 10))\" width=\"12\" height=\"12\" fill=\"\(Self.frontierColor)\"/>")
        svg.append(Self.text(x: legendX + 18, y: legendY, "frontier model"))
        legendX += 120
        svg.append("<circle cx=\"\(Self.f(legendX + 6))\" cy=\"\(Self.f(legendY - 4))\" r=\"6\" fill=\"\(Self.openColor)\"/>")
        svg.append(Self.text(x: legendX + 18, y: legendY, "open model"))
        legendX += 105
        svg.append("<line x1=\"\(Self.f(legendX))\" y1=\"\(Self.f(legendY - 4))\" x2=\"\(Self.f(legendX + 16))\" "
                   + "y2=\"\(Self.f(legendY - 4))\" stroke=\"#31a354\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>")
        svg.append(Self.text(x: legendX + 22, y: legendY, "Pareto frontier"))
        if !cascades.isEmpty {
            legendX += 130
            let corners = [(legendX + 6, legendY - 11), (legendX + 13, legendY - 4), (legendX + 6, legendY + 3), (legendX - 1, legendY - 4)]
            svg.append("<polygon points=\"\(corners.map { "\(Self.f($0.0)),\(Self.f($0.1))" }.joined(separator: " "))\" "
                       + "fill=\"#ffffff\" stroke=\"\(Self.cascadeColor)\" stroke-width=\"2\"/>")
            svg.append(Self.text(x: legendX + 18, y: legendY, "cascade (what-if)"))
        }
        var note = "filled: on the frontier, hollow: below it; bars: 95% intervals"
        if let reference = summary.referenceID { note += "; reference: \(reference)" }
        svg.append(Self.text(x: plot.left, y: legendY + 18, note, size: 11))
        if !summary.frontier.excluded.isEmpty {
            svg.append(Self.text(x: plot.left, y: Self.height - 10,
                                 "Not shown (unpriced or nothing answered): " + summary.frontier.excluded.joined(separator: ", ")))
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// Where each point's label goes: the first of eight spots around the point (right above,
    /// right below, left above, left below, then farther out) whose box stays inside the plot and
    /// clears every marker and every label placed before; the first spot when none does.
    static func placeLabels(_ points: [(x: Double, y: Double, text: String)])
        -> [(x: Double, y: Double, text: String, anchor: String)]
    {
        struct Box {
            var left, top, right, bottom: Double
            func overlaps(_ other: Box) -> Bool {
                left < other.right && other.left < right && top < other.bottom && other.top < bottom
            }
        }
        let markers = points.map { Box(left: $0.x - 7, top: $0.y - 7, right: $0.x + 7, bottom: $0.y + 7) }
        let spots: [(dx: Double, dy: Double, anchor: String)] = [
            (10, -8, "start"), (10, 18, "start"), (-10, -8, "end"), (-10, 18, "end"),
            (10, -24, "start"), (10, 34, "start"), (-10, -24, "end"), (-10, 34, "end"),
        ]
        var placed: [Box] = []
        var result: [(x: Double, y: Double, text: String, anchor: String)] = []
        for point in points {
            // About 0.6 em per character at 12 px: wide enough for ids in a sans-serif face.
            let width = Double(point.text.count) * 7.2
            func box(_ spot: (dx: Double, dy: Double, anchor: String)) -> Box {
                let x = point.x + spot.dx
                let left = spot.anchor == "start" ? x : x - width
                return Box(left: left, top: point.y + spot.dy - 12, right: left + width, bottom: point.y + spot.dy + 3)
            }
            let fits = spots.first { spot in
                let candidate = box(spot)
                return candidate.left >= plot.left && candidate.right <= Self.width - 8 && candidate.top >= plot.top
                    && candidate.bottom <= plot.bottom && !placed.contains(where: candidate.overlaps)
                    && !markers.contains(where: candidate.overlaps)
            } ?? spots[0]
            placed.append(box(fits))
            result.append((point.x + fits.dx, point.y + fits.dy, point.text, fits.anchor))
        }
        return result
    }

    /// What a point's hover (its `<title>`, also its accessible name) says: the model, its cost
    /// per case, its quality with the interval, and whether it is on the frontier.
    static func tooltip(_ model: ModelSummary, onFrontier: Bool) -> String {
        var text = "\(model.modelID) (\(model.modelClass.rawValue)): "
        if let perCase = model.costPerCaseMicros { text += "\(Money.format(micros: perCase)) per case, " }
        text += "quality " + (model.quality.map(Formatting.quality) ?? Formatting.none)
        if let interval = model.qualityInterval {
            text += " (95% interval \(Formatting.quality(interval.lower))–\(Formatting.quality(interval.upper)))"
        }
        return text + (onFrontier ? "; on the frontier" : "; off the frontier")
    }

    /// A cascade's hover: what it is, its cost per case, quality, escalations and PGR.
    static func tooltip(_ cascade: Cascade) -> String {
        var text = "cascade \(cascade.spec.name), escalating on \(cascade.checkLabel) (a what-if): "
        if let per1k = cascade.costPer1kCasesMicros { text += "\(Money.format(micros: per1k)) per 1,000 cases, " }
        text += "quality \(Formatting.quality(cascade.quality)), \(Formatting.percent(cascade.escalationRate)) escalated"
        return text + (cascade.pgr.map { ", PGR \(String(format: "%.2f", $0))" } ?? ", PGR undefined")
    }

    /// A point's details as a box beside it, inside the chart: the tooltip's facts a line each,
    /// hidden (`display="none"`) until the page's stylesheet shows it.
    static func details(_ model: ModelSummary, onFrontier: Bool, at point: (x: Double, y: Double)) -> [String] {
        var lines = ["\(model.modelID) (\(model.modelClass.rawValue))"]
        lines.append(model.costPerCaseMicros.map { "\(Money.format(micros: $0)) per case" } ?? "unpriced")
        var quality = "quality " + (model.quality.map(Formatting.quality) ?? Formatting.none)
        if let interval = model.qualityInterval {
            quality += " (95% CI \(Formatting.quality(interval.lower))–\(Formatting.quality(interval.upper)))"
        }
        lines += [quality, onFrontier ? "on the frontier" : "off the frontier"]
        // As the labels' width: about 0.6 em per character at 12 px.
        let width = Double(lines.map(\.count).max() ?? 0) * 7.2 + 16
        let height = Double(lines.count) * 16 + 10
        var left = point.x + 14
        if left + width > Self.width - 4 { left = max(4, point.x - 14 - width) }
        var top = point.y - height - 10
        if top < 4 { top = min(Self.height - height - 4, point.y + 12) }
        var box = ["<g class=\"details\" display=\"none\">",
                   "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(width))\" height=\"\(f(height))\" rx=\"4\" "
                       + "fill=\"#ffffff\" stroke=\"#333333\"/>"]
        for (index, line) in lines.enumerated() {
            box.append(text(x: left + 8, y: top + 19 + Double(index) * 16, line, weight: index == 0 ? "bold" : nil))
        }
        return box + ["</g>"]
    }

    /// `$0.0001` for 10⁻⁴, `$1`, `$100`.
    static func dollars(decade: Int) -> String {
        decade >= 0 ? "$1" + String(repeating: "0", count: decade) : "$0." + String(repeating: "0", count: -decade - 1) + "1"
    }

    /// A coordinate with one decimal.
    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func text(x: Double, y: Double, _ content: String, anchor: String = "start", size: Int? = nil,
                     weight: String? = nil, halo: Bool = false) -> String {
        var attributes = "x=\"\(f(x))\" y=\"\(f(y))\""
        // A white outline under the letters keeps a label readable where it crosses a line.
        if halo { attributes += " paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"3\"" }
        if anchor != "start" { attributes += " text-anchor=\"\(anchor)\"" }
        if let size { attributes += " font-size=\"\(size)\"" }
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        return "<text \(attributes)>\(XMLText.escape(content))</text>"
    }
}
