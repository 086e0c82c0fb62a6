import Postgres

/// Reads a row's columns left to right, so that a long SELECT list decodes without counting positions by hand.
struct ColumnReader {
    private let row: PostgresRow
    private var column = 0

    init(_ row: PostgresRow) {
        self.row = row
    }

    /// Decodes the next column.
    mutating func next<Value: PostgresDecodable>(_: Value.Type = Value.self) throws -> Value {
        defer { column += 1 }
        return try row.decode(Value.self, at: column)
    }
}
