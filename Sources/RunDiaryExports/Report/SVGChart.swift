/// A small inline SVG chart: bars on the left axis and lines (with dots) on the right axis over the same slots
/// (weeks or days). Self-contained markup, no scripts, scales with its container and prints crisply.
struct SVGChart {
    struct Series {
        let name: String
        let color: String
        let values: [Double?]
    }

    let title: String
    /// One label per slot; only some are drawn when there are many.
    let labels: [String]
    var bars: Series?
    var barAxisTitle = ""
    /// Top of the bar axis; by default a round number above the highest bar.
    var barMax: Double?
    var lines: [Series] = []
    /// Top of the line axis (10 for pain).
    var lineMax = 10.0
    var lineAxisTitle = ""
    /// A dashed guide on the line axis (the pain ceiling).
    var threshold: (value: Double, label: String)?
    /// Whether lines bridge empty slots (days without an entry) or break there (weeks without pain).
    var connectGaps = false

    static let palette = ["#c0392b", "#2471a3", "#d68910", "#1e8449", "#7d3c98", "#117a65", "#a04000", "#5d6d7e"]

    private let width = 760.0
    private let height = 250.0
    private let left = 52.0
    private let right = 46.0
    private let top = 34.0
    private let bottom = 30.0

    func render() -> String {
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let count = max(labels.count, 1)
        let slot = plotWidth / Double(count)
        func x(_ index: Int) -> Double { left + slot * (Double(index) + 0.5) }
        let barMax = self.barMax ?? Self.niceCeiling((bars?.values.compactMap { $0 }.max() ?? 0))
        func barY(_ value: Double) -> Double { top + plotHeight * (1 - value / barMax) }
        func lineY(_ value: Double) -> Double { top + plotHeight * (1 - min(value, lineMax) / lineMax) }

        var svg = """
            <svg class="chart" viewBox="0 0 \(f(width)) \(f(height))" role="img" aria-label="\(HTMLText.escape(title))" \
            xmlns="http://www.w3.org/2000/svg" font-family="inherit" font-size="11">
            """
        // Grid and axes.
        for tick in 0...4 {
            let y = top + plotHeight * Double(tick) / 4
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\" stroke=\"#e5e7eb\"/>"
            if bars != nil {
                let value = barMax * Double(4 - tick) / 4
                svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\" fill=\"#555\">\(Self.tick(value))</text>"
            }
            if !lines.isEmpty {
                let value = lineMax * Double(4 - tick) / 4
                svg += "<text x=\"\(f(width - right + 6))\" y=\"\(f(y + 4))\" fill=\"#555\">\(Self.tick(value))</text>"
            }
        }
        if bars != nil {
            svg +=
                "<text x=\"12\" y=\"\(f(top + plotHeight / 2))\" transform=\"rotate(-90 12 \(f(top + plotHeight / 2)))\" text-anchor=\"middle\" fill=\"#555\">\(HTMLText.escape(barAxisTitle))</text>"
        }
        if !lines.isEmpty {
            let at = width - 10
            svg +=
                "<text x=\"\(f(at))\" y=\"\(f(top + plotHeight / 2))\" transform=\"rotate(90 \(f(at)) \(f(top + plotHeight / 2)))\" text-anchor=\"middle\" fill=\"#555\">\(HTMLText.escape(lineAxisTitle))</text>"
        }
        // Slot labels: at most about 12.
        let step = max(1, Int((Double(labels.count) / 12).rounded(.up)))
        for (index, label) in labels.enumerated() where index % step == 0 {
            svg +=
                "<text x=\"\(f(x(index)))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\" fill=\"#555\">\(HTMLText.escape(label))</text>"
        }
        // Bars.
        if let bars {
            let barWidth = max(1, slot * 0.62)
            for (index, value) in bars.values.enumerated() {
                guard let value, value > 0 else { continue }
                let y = barY(value)
                svg +=
                    "<rect x=\"\(f(x(index) - barWidth / 2))\" y=\"\(f(y))\" width=\"\(f(barWidth))\" height=\"\(f(top + plotHeight - y))\" fill=\"\(bars.color)\"><title>\(HTMLText.escape(labels[safe: index] ?? "")): \(NumberText.format(value, digits: 1))</title></rect>"
            }
        }
        if let threshold {
            let y = lineY(threshold.value)
            svg +=
                "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\" stroke=\"#7f8c8d\" stroke-dasharray=\"5 4\"/>"
            svg +=
                "<text x=\"\(f(width - right - 4))\" y=\"\(f(y - 4))\" text-anchor=\"end\" fill=\"#7f8c8d\">\(HTMLText.escape(threshold.label))</text>"
        }
        // Lines.
        for series in lines {
            var segments: [[(Double, Double)]] = [[]]
            for (index, value) in series.values.enumerated() {
                if let value {
                    segments[segments.count - 1].append((x(index), lineY(value)))
                } else if !connectGaps, !(segments.last?.isEmpty ?? true) {
                    segments.append([])
                }
            }
            for segment in segments where segment.count > 1 {
                let points = segment.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
                svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(series.color)\" stroke-width=\"2\"/>"
            }
            for (index, value) in series.values.enumerated() {
                guard let value else { continue }
                svg +=
                    "<circle cx=\"\(f(x(index)))\" cy=\"\(f(lineY(value)))\" r=\"3\" fill=\"\(series.color)\"><title>\(HTMLText.escape(series.name)), \(HTMLText.escape(labels[safe: index] ?? "")): \(NumberText.format(value, digits: 0))</title></circle>"
            }
        }
        // Legend.
        var legendX = left
        let legend = (bars.map { [($0.name, $0.color, true)] } ?? []) + lines.map { ($0.name, $0.color, false) }
        for (name, color, isBar) in legend {
            if isBar {
                svg += "<rect x=\"\(f(legendX))\" y=\"10\" width=\"12\" height=\"12\" fill=\"\(color)\"/>"
            } else {
                svg +=
                    "<line x1=\"\(f(legendX))\" y1=\"16\" x2=\"\(f(legendX + 14))\" y2=\"16\" stroke=\"\(color)\" stroke-width=\"2\"/><circle cx=\"\(f(legendX + 7))\" cy=\"16\" r=\"3\" fill=\"\(color)\"/>"
            }
            svg += "<text x=\"\(f(legendX + 18))\" y=\"20\" fill=\"#222\">\(HTMLText.escape(name))</text>"
            legendX += 30 + Double(name.count) * 6.2
        }
        svg += "</svg>"
        return svg
    }

    /// An axis value: whole numbers without a fraction, others with one decimal (12.5).
    static func tick(_ value: Double) -> String {
        value.rounded() == value ? NumberText.format(value, digits: 0) : NumberText.format(value, digits: 1)
    }

    /// 1, 2, 2.5, 5 × 10ⁿ at or above `value` (at least 1).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 1 else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= value { magnitude *= 10 }
        for step in [1.0, 2.0, 2.5, 5.0, 10.0] where step * magnitude >= value {
            return step * magnitude
        }
        return 10 * magnitude
    }

    private func f(_ value: Double) -> String {
        NumberText.format(value, digits: 1)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
