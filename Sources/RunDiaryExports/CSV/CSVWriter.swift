import Foundation

/// Writes RFC 4180 CSV: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote, CR or LF
/// (and when they start or end with a space, so that spreadsheet imports keep them), quotes doubled.
struct CSVWriter {
    let sink: any ByteSink

    /// Writes one record; `nil` is an empty field.
    func writeRow(_ fields: [String?]) async throws {
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 { line += "," }
            if let field { line += Self.escape(field) }
        }
        line += "\r\n"
        try await sink.write(line)
    }

    static func escape(_ field: String) -> String {
        let needsQuotes =
            field.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
            || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
