import CCairo

/// An A4 PDF drawn with cairo, written to memory as cairo produces it and handed out page by page.
///
/// Text goes through cairo's own font selection ("DejaVu Sans" from fontconfig, Debian's fonts-dejavu-core) and is
/// embedded as a subset, so the file shows the same on every reader. User text never meets a markup language here:
/// it is drawn as glyphs, after ``PDFCanvas/plain(_:)`` has turned control characters into spaces.
final class PDFCanvas {
    /// A4 in PostScript points.
    static let pageWidth = 595.28
    static let pageHeight = 841.89
    static let margin = 40.0

    /// Where cairo's stream callback appends; drained after each page.
    private final class Output {
        var bytes: [UInt8] = []
    }

    private let output = Output()
    private let surface: OpaquePointer
    let context: OpaquePointer
    /// The top of the free space on the current page.
    var y = margin
    private(set) var pageNumber = 1

    init(title: String) throws {
        let closure = Unmanaged.passUnretained(output).toOpaque()
        surface = cairo_pdf_surface_create_for_stream(
            { closure, data, length in
                guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
                let output = Unmanaged<Output>.fromOpaque(closure).takeUnretainedValue()
                output.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return CAIRO_STATUS_SUCCESS
            }, closure, Self.pageWidth, Self.pageHeight)
        context = cairo_create(surface)
        // Every property is set: should this throw, `deinit` runs and destroys both (destroying them here too freed
        // them twice).
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, cairo_status(context) == CAIRO_STATUS_SUCCESS else {
            throw PDFError.cairo
        }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, Self.plain(title))
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "RunDiary")
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// The bytes cairo has written since the last call.
    func drain() -> [UInt8] {
        defer { output.bytes.removeAll(keepingCapacity: true) }
        return output.bytes
    }

    /// Ends the current page and starts the next.
    func newPage() {
        cairo_show_page(context)
        pageNumber += 1
        y = Self.margin
    }

    /// Ends the document; its last bytes are then in ``drain()``.
    func finish() throws {
        cairo_surface_finish(surface)
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { throw PDFError.cairo }
    }

    /// Starts a new page unless `height` points still fit on this one.
    func ensureRoom(_ height: Double) {
        if y + height > Self.pageHeight - Self.margin, y > Self.margin { newPage() }
    }

    var contentWidth: Double { Self.pageWidth - 2 * Self.margin }

    // MARK: Text

    func font(size: Double, bold: Bool = false, italic: Bool = false) {
        cairo_select_font_face(
            context, "DejaVu Sans", italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
            bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
    }

    func color(_ hex: UInt32) {
        cairo_set_source_rgb(
            context, Double(hex >> 16 & 0xFF) / 255, Double(hex >> 8 & 0xFF) / 255, Double(hex & 0xFF) / 255)
    }

    /// The width `text` takes in the current font.
    func width(of text: String) -> Double {
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// Draws one line of text with its baseline at `baseline`.
    func show(_ text: String, x: Double, baseline: Double) {
        cairo_move_to(context, x, baseline)
        cairo_show_text(context, text)
    }

    /// `text` broken into lines no wider than `width` in the current font (words longer than a line are cut).
    func wrap(_ text: String, width: Double) -> [String] {
        var lines: [String] = []
        for paragraph in Self.plain(text, keepingLineBreaks: true).split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                let candidate = line.isEmpty ? String(word) : line + " " + word
                if self.width(of: candidate) <= width {
                    line = candidate
                    continue
                }
                if !line.isEmpty { lines.append(line) }
                var rest = String(word)
                while self.width(of: rest) > width, rest.count > 1 {
                    var cut = rest.count - 1
                    while cut > 1, self.width(of: String(rest.prefix(cut))) > width { cut -= 1 }
                    lines.append(String(rest.prefix(cut)))
                    rest = String(rest.dropFirst(cut))
                }
                line = rest
            }
            lines.append(line)
        }
        return lines
    }

    /// Draws `text` wrapped to `width` from the cursor down, breaking pages as needed; returns nothing, moves `y`.
    func paragraph(_ text: String, x: Double = margin, width: Double? = nil, size: Double, leading: Double = 1.35, bullet: String? = nil) {
        font(size: size)
        let indent = bullet == nil ? 0 : size * 1.1
        let lines = wrap(text, width: (width ?? contentWidth) - indent)
        for (index, line) in lines.enumerated() {
            ensureRoom(size * leading)
            if index == 0, let bullet { show(bullet, x: x, baseline: y + size) }
            show(line, x: x + indent, baseline: y + size)
            y += size * leading
        }
    }

    /// Text safe to hand to cairo: control characters become spaces (line breaks too, unless kept).
    static func plain(_ text: String, keepingLineBreaks: Bool = false) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n", keepingLineBreaks {
                output.append(scalar)
            } else if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}" {
                output.append(" ")
            } else {
                output.append(scalar)
            }
        }
        return String(output)
    }

    // MARK: Shapes

    func rectangle(x: Double, y: Double, width: Double, height: Double, fill: UInt32) {
        color(fill)
        cairo_rectangle(context, x, y, width, height)
        cairo_fill(context)
    }

    func line(from start: (Double, Double), to end: (Double, Double), color hex: UInt32, width: Double = 0.6, dash: Double? = nil) {
        color(hex)
        cairo_set_line_width(context, width)
        if let dash {
            var pattern = [dash, dash]
            cairo_set_dash(context, &pattern, 2, 0)
        }
        cairo_move_to(context, start.0, start.1)
        cairo_line_to(context, end.0, end.1)
        cairo_stroke(context)
        cairo_set_dash(context, nil, 0, 0)
    }

    func polyline(_ points: [(Double, Double)], color hex: UInt32, width: Double = 1.5) {
        guard let first = points.first else { return }
        color(hex)
        cairo_set_line_width(context, width)
        cairo_move_to(context, first.0, first.1)
        for point in points.dropFirst() { cairo_line_to(context, point.0, point.1) }
        cairo_stroke(context)
    }

    func dot(_ point: (Double, Double), radius: Double, color hex: UInt32) {
        color(hex)
        cairo_arc(context, point.0, point.1, radius, 0, 2 * Double.pi)
        cairo_fill(context)
    }
}

/// Why a PDF could not be drawn.
enum PDFError: Error {
    /// cairo reported an error (out of memory, a write failure).
    case cairo
}
