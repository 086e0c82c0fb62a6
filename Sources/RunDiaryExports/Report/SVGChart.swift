/// A small inline SVG chart: bars on the left axis and lines (with dots) on the right axis over the same slots
/// (weeks or days), where some slots may be collapsed gaps. Self-contained markup, no scripts, scales with its
/// container and prints crisply.
///
/// ``render()`` draws it twice: a wide layout for screens and paper, and a narrow one, with fewer and larger labels,
/// that the stylesheet shows instead on a phone, so that no label shrinks below a readable size.
struct SVGChart {
    struct Series {
        let name: String
        let color: String
        let values: [Double?]
    }

    let title: String
    /// One label per slot; only some are drawn when there are many.
    let labels: [String]
    /// Slots that stand for a collapsed stretch without entries, with their axis label (`50 wk`).
    var gaps: [Int: String] = [:]
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
    /// Whether lines bridge empty slots (days without an entry) or break there (weeks without pain). Lines never
    /// bridge a collapsed gap.
    var connectGaps = false

    static let palette = ["#c0392b", "#2471a3", "#d68910", "#1e8449", "#7d3c98", "#117a65", "#a04000", "#5d6d7e"]

    /// How one layout is drawn.
    struct Layout {
        let className: String
        let width: Double
        let height: Double
        let fontSize: Double
        let maxLabels: Int
        let left: Double
        let right: Double

        /// For screens wider than a phone, and for print.
        static let wide = Layout(className: "chart wide", width: 760, height: 250, fontSize: 11, maxLabels: 12, left: 52, right: 46)
        /// For a phone: drawn about 360 px wide, so 12-unit text stays about 11 px.
        static let narrow = Layout(className: "chart narrow", width: 400, height: 260, fontSize: 13, maxLabels: 5, left: 40, right: 34)
    }

    func render() -> String {
        render(.wide) + render(.narrow)
    }

    func render(_ layout: Layout) -> String {
        let width = layout.width
        let height = layout.height
        let left = layout.left
        let right = layout.right
        let bottom = layout.fontSize * 2.6
        let characterWidth = layout.fontSize * 0.58

        // Legend rows first: they decide where the plot starts.
        let legend = (bars.map { [($0.name, $0.color, true)] } ?? []) + lines.map { ($0.name, $0.color, false) }
        var legendItems: [(name: String, color: String, isBar: Bool, x: Double, row: Int)] = []
        var legendX = left
        var row = 0
        for (name, color, isBar) in legend {
            let itemWidth = 24 + Double(name.count) * characterWidth
            if legendX > left, legendX + itemWidth > width - 8 {
                row += 1
                legendX = left
            }
            legendItems.append((name, color, isBar, legendX, row))
            legendX += itemWidth + 12
        }
        let rowHeight = layout.fontSize + 5
        let top = 10 + Double(row + 1) * rowHeight + 8
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let count = max(labels.count, 1)
        let slot = plotWidth / Double(count)
        func x(_ index: Int) -> Double { left + slot * (Double(index) + 0.5) }
        let barMax = self.barMax ?? Self.niceCeiling((bars?.values.compactMap { $0 }.max() ?? 0))
        func barY(_ value: Double) -> Double { top + plotHeight * (1 - value / barMax) }
        func lineY(_ value: Double) -> Double { top + plotHeight * (1 - min(value, lineMax) / lineMax) }
        func f(_ value: Double) -> String { NumberText.format(value, digits: 1) }

        var svg = """
            <svg class="\(layout.className)" viewBox="0 0 \(f(width)) \(f(height))" role="img" \
            aria-label="\(HTMLText.escape(title))" xmlns="http://www.w3.org/2000/svg" font-family="inherit" \
            font-size="\(f(layout.fontSize))">
            """
        // Collapsed gaps: a hatched band, so a reader sees at once that time was left out.
        for (index, _) in gaps.sorted(by: { $0.key < $1.key }) {
            svg +=
                "<rect class=\"gap\" x=\"\(f(x(index) - slot / 2))\" y=\"\(f(top))\" width=\"\(f(slot))\" height=\"\(f(plotHeight))\" fill=\"#eef0f2\"/>"
            svg +=
                "<line x1=\"\(f(x(index) - slot / 4))\" y1=\"\(f(top))\" x2=\"\(f(x(index) - slot / 4))\" y2=\"\(f(top + plotHeight))\" stroke=\"#9aa5b1\" stroke-dasharray=\"3 3\"/>"
            svg +=
                "<line x1=\"\(f(x(index) + slot / 4))\" y1=\"\(f(top))\" x2=\"\(f(x(index) + slot / 4))\" y2=\"\(f(top + plotHeight))\" stroke=\"#9aa5b1\" stroke-dasharray=\"3 3\"/>"
        }
        // Grid and axes.
        for tick in 0...4 {
            let y = top + plotHeight * Double(tick) / 4
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\" stroke=\"#e5e7eb\"/>"
            if bars != nil {
                let value = barMax * Double(4 - tick) / 4
                svg += "<text x=\"\(f(left - 5))\" y=\"\(f(y + 4))\" text-anchor=\"end\" fill=\"#555\">\(Self.tick(value))</text>"
            }
            if !lines.isEmpty {
                let value = lineMax * Double(4 - tick) / 4
                svg += "<text x=\"\(f(width - right + 5))\" y=\"\(f(y + 4))\" fill=\"#555\">\(Self.tick(value))</text>"
            }
        }
        let middle = f(top + plotHeight / 2)
        if bars != nil {
            let at = f(layout.fontSize)
            svg +=
                "<text x=\"\(at)\" y=\"\(middle)\" transform=\"rotate(-90 \(at) \(middle))\" text-anchor=\"middle\" fill=\"#555\">\(HTMLText.escape(barAxisTitle))</text>"
        }
        if !lines.isEmpty {
            let at = f(width - layout.fontSize * 0.7)
            svg +=
                "<text x=\"\(at)\" y=\"\(middle)\" transform=\"rotate(90 \(at) \(middle))\" text-anchor=\"middle\" fill=\"#555\">\(HTMLText.escape(lineAxisTitle))</text>"
        }
        // Slot labels: at most `maxLabels`, and every gap's.
        let step = max(1, Int((Double(labels.count) / Double(layout.maxLabels)).rounded(.up)))
        let labelY = f(height - bottom + layout.fontSize * 1.4)
        for (index, label) in labels.enumerated() where index % step == 0 && gaps[index] == nil {
            svg += "<text x=\"\(f(x(index)))\" y=\"\(labelY)\" text-anchor=\"middle\" fill=\"#555\">\(HTMLText.escape(label))</text>"
        }
        for (index, label) in gaps {
            svg +=
                "<text x=\"\(f(x(index)))\" y=\"\(labelY)\" text-anchor=\"middle\" fill=\"#3e4c59\" font-style=\"italic\">\(HTMLText.escape(label))</text>"
        }
        // Bars.
        if let bars {
            let barWidth = max(1, slot * 0.62)
            for (index, value) in bars.values.enumerated() {
                guard let value, value > 0, gaps[index] == nil else { continue }
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
                if gaps[index] != nil {
                    if !(segments.last?.isEmpty ?? true) { segments.append([]) }
                } else if let value {
                    segments[segments.count - 1].append((x(index), lineY(value)))
                } else if !connectGaps, !(segments.last?.isEmpty ?? true) {
                    segments.append([])
                }
            }
            for segment in segments where segment.count > 1 {
                let points = segment.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
                svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(series.color)\" stroke-width=\"2\"/>"
            }
            for (index, value) in series.values.enumerated() where gaps[index] == nil {
                guard let value else { continue }
                svg +=
                    "<circle cx=\"\(f(x(index)))\" cy=\"\(f(lineY(value)))\" r=\"3\" fill=\"\(series.color)\"><title>\(HTMLText.escape(series.name)), \(HTMLText.escape(labels[safe: index] ?? "")): \(NumberText.format(value, digits: 0))</title></circle>"
            }
        }
        // Legend.
        for item in legendItems {
            let y = 10 + Double(item.row) * rowHeight
            if item.isBar {
                svg += "<rect x=\"\(f(item.x))\" y=\"\(f(y))\" width=\"12\" height=\"12\" fill=\"\(item.color)\"/>"
            } else {
                svg +=
                    "<line x1=\"\(f(item.x))\" y1=\"\(f(y + 6))\" x2=\"\(f(item.x + 14))\" y2=\"\(f(y + 6))\" stroke=\"\(item.color)\" stroke-width=\"2\"/><circle cx=\"\(f(item.x + 7))\" cy=\"\(f(y + 6))\" r=\"3\" fill=\"\(item.color)\"/>"
            }
            svg += "<text x=\"\(f(item.x + 18))\" y=\"\(f(y + 10))\" fill=\"#222\">\(HTMLText.escape(item.name))</text>"
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
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
