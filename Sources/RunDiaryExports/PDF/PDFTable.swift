/// A table drawn row by row on a ``PDFCanvas``: cells wrap, a row never splits across pages, and the header row is
/// repeated at the top of each new page.
struct PDFTable {
    let headers: [String]
    /// Column widths as fractions of the content width.
    let widths: [Double]
    var fontSize = 8.0

    func header(on canvas: PDFCanvas) {
        row(headers, on: canvas, bold: true, fill: 0xEEF2F6, repeatingHeader: false)
    }

    /// Draws one row; `fill` shades it, `accent` colours the last cell's text (a flag).
    func row(
        _ cells: [String], on canvas: PDFCanvas, bold: Bool = false, fill: UInt32? = nil, accent: UInt32? = nil,
        repeatingHeader: Bool = true
    ) {
        let padding = 3.0
        let leading = fontSize * 1.3
        canvas.font(size: fontSize, bold: bold)
        let columns = zip(cells, widths).map { cell, fraction in
            canvas.wrap(cell, width: fraction * canvas.contentWidth - 2 * padding)
        }
        let height = Double(columns.map(\.count).max() ?? 1) * leading + 2 * padding
        let page = canvas.pageNumber
        canvas.ensureRoom(height)
        if repeatingHeader, canvas.pageNumber != page {
            header(on: canvas)
            canvas.font(size: fontSize, bold: bold)
        }
        if let fill {
            canvas.rectangle(x: PDFCanvas.margin, y: canvas.y, width: canvas.contentWidth, height: height, fill: fill)
        }
        var x = PDFCanvas.margin
        for (index, lines) in columns.enumerated() {
            canvas.color(index == columns.count - 1 ? (accent ?? 0x1F2933) : 0x1F2933)
            for (number, line) in lines.enumerated() {
                canvas.show(line, x: x + padding, baseline: canvas.y + padding + fontSize + Double(number) * leading)
            }
            x += widths[index] * canvas.contentWidth
        }
        canvas.y += height
        canvas.line(
            from: (PDFCanvas.margin, canvas.y), to: (PDFCanvas.margin + canvas.contentWidth, canvas.y), color: 0xD9DEE3, width: 0.5)
    }
}
