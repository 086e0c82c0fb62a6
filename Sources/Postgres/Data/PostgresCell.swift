/// One value of a result row, in PostgreSQL's binary format, valid while its ``PostgresRows`` is alive.
public struct PostgresCell {
    /// The bytes of the value, or `nil` for SQL NULL.
    public let bytes: UnsafeRawBufferPointer?
    public let type: PostgresDataType
    public let columnName: String

    /// An error naming this cell's column.
    public func decodingError(_ message: String) -> PostgresError {
        PostgresError(code: .decoding, message: message, column: columnName)
    }

    /// The bytes of a non-NULL value; throws for NULL.
    public func requireBytes<T>(for swiftType: T.Type) throws -> UnsafeRawBufferPointer {
        guard let bytes else {
            throw decodingError("NULL cannot be decoded as non-optional \(swiftType)")
        }
        return bytes
    }

    /// Throws unless the cell is one of `types`.
    public func requireType<T>(_ types: PostgresDataType..., for swiftType: T.Type) throws {
        guard types.contains(type) else {
            throw decodingError("cannot decode \(type) as \(swiftType)")
        }
    }
}

extension UnsafeRawBufferPointer {
    /// Reads a big-endian integer at `offset`; the caller has checked the length.
    func bigEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(rebasing: self[offset..<offset + MemoryLayout<T>.size]))
        }
        return T(bigEndian: value)
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
