import Foundation
import RunDiaryModels
import RunDiarySync

/// Prints `value` as JSON on stdout with sorted keys. Keys are written as the types name them (the wire's
/// snake_case for records), so no key strategy may rewrite field names.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Rows printed as aligned columns under a header.
struct Columns {
    private let header: [String]
    private var rows: [[String]] = []

    init(_ header: String...) {
        self.header = header
    }

    mutating func add(_ row: String...) {
        rows.append(row)
    }

    var isEmpty: Bool { rows.isEmpty }

    func print() {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        for row in all {
            let cells = row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }
            Swift.print(cells.joined(separator: "  "))
        }
    }
}

/// A record as JSON output: the wire field map with its id, entity and sync state.
struct RecordOutput: Encodable {
    let id: String
    let entity: String
    let deleted: Bool
    let pending: Bool
    let fields: [String: JSONValue]

    init(_ record: LocalRecord) {
        id = record.id.uuidString.lowercased()
        entity = record.entity.rawValue
        deleted = record.isDeleted
        pending = record.hasPendingChanges
        fields = record.fields
    }
}

extension UUID {
    /// The first eight characters of the id: enough to name a record in a diary.
    var short: String {
        String(uuidString.lowercased().prefix(8))
    }
}

/// A code for people: `after_run` → `after run`.
func words(_ code: String?) -> String {
    code.map { $0.replacingOccurrences(of: "_", with: " ") } ?? "-"
}

/// `1 edit`, `3 edits`.
func edits(_ count: Int) -> String {
    "\(count) edit\(count == 1 ? "" : "s")"
}
