/// Reads any PostgreSQL integer column (int2, int4, int8) and narrows it to `T`, failing on overflow.
private func decodeInteger<T: FixedWidthInteger>(_: T.Type, from cell: borrowing PostgresCell) throws -> T {
    let wide: Int64 = try cell.withBytes(for: T.self) { bytes in
        switch (cell.type, bytes.count) {
        case (.int2, 2): Int64(bytes.bigEndian(Int16.self, at: 0))
        case (.int4, 4): Int64(bytes.bigEndian(Int32.self, at: 0))
        case (.int8, 8): bytes.bigEndian(Int64.self, at: 0)
        case (.oidType, 4): Int64(bytes.bigEndian(UInt32.self, at: 0))
        default: throw cell.decodingError("cannot decode \(cell.type) (\(bytes.count) bytes) as \(T.self)")
        }
    }
    guard let value = T(exactly: wide) else {
        throw cell.decodingError("value \(wide) does not fit in \(T.self)")
    }
    return value
}

extension Int16: PostgresCodable, PostgresArrayElement {
    public static var postgresType: PostgresDataType { .int2 }
    public static var postgresArrayType: PostgresDataType { .int2Array }
    public func encode(into buffer: inout [UInt8]) { buffer.appendBigEndian(self) }
    public static func decode(from cell: borrowing PostgresCell) throws -> Int16 { try decodeInteger(Int16.self, from: cell) }
}

extension Int32: PostgresCodable, PostgresArrayElement {
    public static var postgresType: PostgresDataType { .int4 }
    public static var postgresArrayType: PostgresDataType { .int4Array }
    public func encode(into buffer: inout [UInt8]) { buffer.appendBigEndian(self) }
    public static func decode(from cell: borrowing PostgresCell) throws -> Int32 { try decodeInteger(Int32.self, from: cell) }
}

extension Int64: PostgresCodable, PostgresArrayElement {
    public static var postgresType: PostgresDataType { .int8 }
    public static var postgresArrayType: PostgresDataType { .int8Array }
    public func encode(into buffer: inout [UInt8]) { buffer.appendBigEndian(self) }
    public static func decode(from cell: borrowing PostgresCell) throws -> Int64 { try decodeInteger(Int64.self, from: cell) }
}

extension Int: PostgresCodable, PostgresArrayElement {
    public static var postgresType: PostgresDataType { .int8 }
    public static var postgresArrayType: PostgresDataType { .int8Array }
    public func encode(into buffer: inout [UInt8]) { buffer.appendBigEndian(Int64(self)) }
    public static func decode(from cell: borrowing PostgresCell) throws -> Int { try decodeInteger(Int.self, from: cell) }
}
