/// The report's one chart on paper: weekly distance as bars and the week's worst pain per body site as lines, over
/// the report's timeline (collapsed gaps shaded and labelled).
struct PDFChart {
    let labels: [String]
    let gaps: [Int: String]
    let bars: [Double?]
    let lines: [(name: String, color: UInt32, values: [Double?])]
    let barTitle: String

    static let palette: [UInt32] = [0xC0392B, 0x2471A3, 0xD68910, 0x1E8449, 0x7D3C98, 0x117A65, 0xA04000, 0x5D6D7E]

    func draw(on canvas: PDFCanvas, height: Double = 190) {
        canvas.ensureRoom(height)
        let top = canvas.y
        let left = PDFCanvas.margin + 34
        let right = PDFCanvas.margin + canvas.contentWidth - 26
        // Legend.
        canvas.font(size: 8)
        var legendX = left
        var legendY = top + 8
        let legend = [(barTitle, UInt32(0xAAB7C4), true)] + lines.map { ($0.name, $0.color, false) }
        for (name, color, isBar) in legend {
            let width = 16 + canvas.width(of: name)
            if legendX + width > right, legendX > left {
                legendX = left
                legendY += 11
            }
            if isBar {
                canvas.rectangle(x: legendX, y: legendY - 7, width: 8, height: 8, fill: color)
            } else {
                canvas.line(from: (legendX, legendY - 3), to: (legendX + 10, legendY - 3), color: color, width: 1.5)
            }
            canvas.color(0x222222)
            canvas.show(name, x: legendX + 13, baseline: legendY)
            legendX += width + 10
        }
        let plotTop = legendY + 10
        let plotBottom = top + height - 18
        let plotHeight = plotBottom - plotTop
        let count = max(labels.count, 1)
        let slot = (right - left) / Double(count)
        func x(_ index: Int) -> Double { left + slot * (Double(index) + 0.5) }
        let barMax = SVGChart.niceCeiling(bars.compactMap { $0 }.max() ?? 0)
        // Gaps, grid and axes.
        for (index, _) in gaps {
            canvas.rectangle(x: x(index) - slot / 2, y: plotTop, width: slot, height: plotHeight, fill: 0xEEF0F2)
        }
        for tick in 0...4 {
            let y = plotTop + plotHeight * Double(tick) / 4
            canvas.line(from: (left, y), to: (right, y), color: 0xE5E7EB, width: 0.5)
            canvas.color(0x555555)
            let barValue = SVGChart.tick(barMax * Double(4 - tick) / 4)
            canvas.show(barValue, x: left - 4 - canvas.width(of: barValue), baseline: y + 3)
            canvas.show(SVGChart.tick(10 * Double(4 - tick) / 4), x: right + 4, baseline: y + 3)
        }
        // Bars and lines.
        for (index, value) in bars.enumerated() {
            guard let value, value > 0, gaps[index] == nil else { continue }
            let barHeight = plotHeight * value / barMax
            canvas.rectangle(x: x(index) - slot * 0.31, y: plotBottom - barHeight, width: slot * 0.62, height: barHeight, fill: 0xAAB7C4)
        }
        for series in lines {
            var segment: [(Double, Double)] = []
            for (index, value) in series.values.enumerated() {
                if let value, gaps[index] == nil {
                    let point = (x(index), plotBottom - plotHeight * min(value, 10) / 10)
                    segment.append(point)
                    canvas.dot(point, radius: 1.8, color: series.color)
                } else {
                    canvas.polyline(segment, color: series.color)
                    segment = []
                }
            }
            canvas.polyline(segment, color: series.color)
        }
        // Labels: at most eight, and every gap's.
        canvas.font(size: 7.5)
        canvas.color(0x555555)
        let step = max(1, Int((Double(labels.count) / 8).rounded(.up)))
        for (index, label) in labels.enumerated() where index % step == 0 || gaps[index] != nil {
            canvas.show(label, x: x(index) - canvas.width(of: label) / 2, baseline: plotBottom + 11)
        }
        canvas.y = top + height + 6
    }
}
