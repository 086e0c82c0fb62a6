/// The rows a statement returned. The memory behind them is released when the last copy goes away.
public struct PostgresRows: Sendable, RandomAccessCollection {
    let handle: ResultHandle

    init(handle: ResultHandle) { self.handle = handle }

    public var startIndex: Int { 0 }
    public var endIndex: Int { handle.rowCount }
    public subscript(position: Int) -> PostgresRow { PostgresRow(handle: handle, index: position) }

    /// The result's column names, in order.
    public var columns: [String] { handle.columnNames }

    /// The number of rows the command touched, for INSERT, UPDATE, DELETE, MERGE and COPY.
    public var affectedRows: Int { handle.affectedRows }

    /// The single row of a result that must have exactly one.
    public func single() throws -> PostgresRow {
        guard count == 1 else {
            throw PostgresError(code: .decoding, message: "expected exactly one row, got \(count)")
        }
        return self[0]
    }
}
