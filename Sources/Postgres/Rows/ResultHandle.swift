import CLibPQ

/// Owns one `PGresult` and clears it exactly once, when the last reference goes.
// @unchecked Sendable: a PGresult is immutable once libpq returns it and libpq allows reading it from any thread;
// the pointer is private and freed only in deinit, when no other reference can exist.
final class ResultHandle: @unchecked Sendable {
    private let result: OpaquePointer
    let columnNames: [String]
    let columnTypes: [PostgresDataType]
    let rowCount: Int

    init(_ result: OpaquePointer) {
        self.result = result
        let columns = Int(PQnfields(result))
        columnNames = (0..<columns).map { String(cString: PQfname(result, Int32($0))) }
        columnTypes = (0..<columns).map { PostgresDataType(UInt32(PQftype(result, Int32($0)))) }
        rowCount = Int(PQntuples(result))
    }

    deinit { PQclear(result) }

    /// The number of rows an INSERT, UPDATE, DELETE, … touched (`PQcmdTuples`), 0 when not reported.
    var affectedRows: Int {
        Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Lends the value at `row`, `column` to `body`; the cell cannot outlive the call, during which this result lives.
    func withCell<Result>(row: Int, column: Int, _ body: (borrowing PostgresCell) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(self) {
            let type = columnTypes[column]
            if PQgetisnull(result, Int32(row), Int32(column)) != 0 {
                return try body(PostgresCell(result: self, start: nil, count: 0, type: type, column: column))
            }
            let length = Int(PQgetlength(result, Int32(row), Int32(column)))
            let start = UnsafeRawPointer(PQgetvalue(result, Int32(row), Int32(column)))
            return try body(PostgresCell(result: self, start: start, count: length, type: type, column: column))
        }
    }
}
