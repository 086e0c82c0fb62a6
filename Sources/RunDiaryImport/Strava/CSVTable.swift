/// A CSV file (RFC 4180: quoted fields with doubled quotes, CRLF or LF line ends) as a header and rows.
struct CSVTable: Sendable {
    let header: [String]
    let rows: [[String]]

    init(_ text: String) throws(ImportIssue) {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var atFieldStart = true
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? scalars.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" {
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
            case ",":
                row.append(field)
                field = ""
                atFieldStart = true
            case "\r":
                continue
            case "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                atFieldStart = true
            default:
                field.unicodeScalars.append(scalar)
                atFieldStart = false
            }
        }
        if quoted { throw ImportIssue(.invalidExport, "activities.csv ends inside a quoted field.") }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        guard let header = rows.first else { throw ImportIssue(.invalidExport, "activities.csv is empty.") }
        self.header = header.map { $0.trimmingPrefix("\u{FEFF}").trimmingSpaces() }
        self.rows = rows.dropFirst().filter { !($0.count == 1 && $0[0].isEmpty) }
    }

    /// The indices of the columns with this name, in order (Strava's export repeats some names).
    func columns(named name: String) -> [Int] {
        header.indices.filter { header[$0] == name }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }

    func trimmingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
