extension String: PostgresCodable, PostgresArrayElement {
    public static var postgresType: PostgresDataType { .text }
    public static var postgresArrayType: PostgresDataType { .textArray }

    public func encode(into buffer: inout [UInt8]) { buffer.append(contentsOf: utf8) }

    /// Decodes text-like columns, json, and jsonb (whose binary form is a version byte and the text).
    public static func decode(from cell: borrowing PostgresCell) throws -> String {
        try cell.withBytes(for: String.self) { bytes in
            if cell.type.isTextLike {
                return String(decoding: bytes, as: UTF8.self)
            }
            if cell.type == .jsonb {
                guard bytes.first == 1 else { throw cell.decodingError("unsupported jsonb version") }
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[1...]), as: UTF8.self)
            }
            throw cell.decodingError("cannot decode \(cell.type) as String")
        }
    }
}
