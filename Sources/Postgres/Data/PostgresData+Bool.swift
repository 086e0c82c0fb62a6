extension Bool: PostgresCodable, PostgresArrayElement {
    public static var postgresType: PostgresDataType { .bool }
    public static var postgresArrayType: PostgresDataType { .boolArray }

    public func encode(into buffer: inout [UInt8]) { buffer.append(self ? 1 : 0) }

    public static func decode(from cell: borrowing PostgresCell) throws -> Bool {
        try cell.requireType(.bool, for: Bool.self)
        return try cell.withBytes(for: Bool.self) { bytes in
            guard bytes.count == 1 else { throw cell.decodingError("bool must be 1 byte, got \(bytes.count)") }
            return bytes[0] != 0
        }
    }
}
