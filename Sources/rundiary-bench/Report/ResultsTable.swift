import Foundation

/// The report as a plain-text table: each figure beside its ceiling, the ratio and the target.
enum ResultsTable {
    static func render(_ report: BenchReport) -> String {
        var rows: [[String]] = [
            ["scenario", "metric", "value", "store's SQL", "ratio", "least SQL", "ratio", "target", "met"]
        ]
        for figure in report.figures {
            rows.append([
                figure.scenario, figure.metric, format(figure.value) + " " + figure.unit,
                figure.ceiling.map { format($0) + " " + figure.unit } ?? "–",
                figure.ratio.map { String(format: "%.2f", $0) } ?? "–",
                figure.leastCeiling.map { format($0) + " " + figure.unit } ?? "–",
                figure.leastRatio.map { String(format: "%.2f", $0) } ?? "–",
                figure.target ?? "–",
                figure.meetsTarget.map { $0 ? "yes" : "NO" } ?? "–",
            ])
        }
        var text = table(rows)
        text += "\nServer peak resident memory, each scenario on its own server (VmHWM, and VmRSS sampled every 100 ms):\n"
        var memoryRows = [["scenario", "peak RSS", "target", "met"]]
        for entry in report.memory {
            memoryRows.append([
                entry.scenario, String(format: "%.1f MiB", entry.peakRSSMegabytes),
                String(format: "< %.0f MiB", entry.targetMegabytes), entry.peakRSSMegabytes < entry.targetMegabytes ? "yes" : "NO",
            ])
        }
        text += table(memoryRows)
        text += String(
            format: "machine: %d cores, %.1f GiB, %@; scale %@\n", report.machine.cores, report.machine.memoryGigabytes,
            report.machine.postgres, report.scale.rawValue)
        for note in report.notes { text += "note: \(note)\n" }
        return text
    }

    /// Whole numbers with grouped thousands from 1,000 up; two decimals below 10.
    static func format(_ value: Double) -> String {
        if value >= 1000 {
            let formatter = NumberFormatter()
            formatter.numberStyle = .decimal
            formatter.maximumFractionDigits = 0
            formatter.groupingSeparator = ","
            return formatter.string(from: NSNumber(value: value.rounded())) ?? String(Int(value))
        }
        if value >= 100 { return String(format: "%.0f", value) }
        if value >= 10 { return String(format: "%.1f", value) }
        return String(format: "%.2f", value)
    }

    private static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.first?.count else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        var text = ""
        for (rowIndex, row) in rows.enumerated() {
            text +=
                row.enumerated().map { index, cell in cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            if rowIndex == 0 { text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return text
    }
}
