/// One row of a result. Columns are read by position, by name, or all at once into a tuple.
///
/// ```swift
/// let (id, title, distance) = try row.decode((UUID, String, Double?).self)
/// let title = try row.decode(String.self, named: "title")
/// let record = Record(id: try row.decode(named: "id"), title: try row.decode(named: "title"))
/// ```
public struct PostgresRow: Sendable {
    let handle: ResultHandle
    let index: Int

    /// The number of columns.
    public var count: Int { handle.columnNames.count }

    /// Lends the cell at `column` to `body`, for decoding by hand.
    public func withCell<Result>(at column: Int, _ body: (borrowing PostgresCell) throws -> Result) throws -> Result {
        guard column >= 0, column < handle.columnNames.count else {
            throw PostgresError(code: .decoding, message: "no column at index \(column); the row has \(count)")
        }
        return try handle.withCell(row: index, column: column, body)
    }

    /// Decodes the column at `column`.
    public func decode<Value: PostgresDecodable>(_: Value.Type = Value.self, at column: Int) throws -> Value {
        try withCell(at: column) { try Value.decode(from: $0) }
    }

    /// Decodes the column named `name` (the first, if several share it).
    public func decode<Value: PostgresDecodable>(_: Value.Type = Value.self, named name: String) throws -> Value {
        guard let column = handle.columnNames.firstIndex(of: name) else {
            throw PostgresError(code: .decoding, message: "no column named \(name)", column: name)
        }
        return try decode(Value.self, at: column)
    }

    /// Decodes the leading columns into a tuple, in order.
    public func decode<each Value: PostgresDecodable>(_: (repeat each Value).Type) throws -> (repeat each Value) {
        var column = 0
        func next<Next: PostgresDecodable>(_: Next.Type) throws -> Next {
            defer { column += 1 }
            return try decode(Next.self, at: column)
        }
        return (repeat try next((each Value).self))
    }
}
