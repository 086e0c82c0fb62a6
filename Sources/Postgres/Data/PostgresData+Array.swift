/// One-dimensional arrays in PostgreSQL's binary array format. Text elements travel unchanged: the binary form of
/// text is its UTF-8.
extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresType: PostgresDataType { Element.postgresArrayType }

    public func encode(into buffer: inout [UInt8]) {
        buffer.appendBigEndian(Int32(1))  // dimensions
        // Whether any element is NULL, filled in after the elements (one pass over them, not two).
        let hasNullsAt = buffer.count
        buffer.appendBigEndian(Int32(0))
        buffer.appendBigEndian(Element.postgresType.oid)
        buffer.appendBigEndian(Int32(count))
        buffer.appendBigEndian(Int32(1))  // lower bound
        var hasNulls = false
        defer {
            if hasNulls {
                buffer.withUnsafeMutableBytes { $0.storeBytes(of: Int32(1).bigEndian, toByteOffset: hasNullsAt, as: Int32.self) }
            }
        }
        for value in self {
            if value.isNull {
                hasNulls = true
                buffer.appendBigEndian(Int32(-1))
                continue
            }
            // Each element is encoded in place after its length, which is filled in once it is known.
            let start = buffer.count
            buffer.appendBigEndian(Int32(0))
            value.encode(into: &buffer)
            let length = Int32(buffer.count - start - 4)
            buffer.withUnsafeMutableBytes { $0.storeBytes(of: length.bigEndian, toByteOffset: start, as: Int32.self) }
        }
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    public static func decode(from cell: borrowing PostgresCell) throws -> [Element] {
        try cell.withBytes(for: [Element].self) { bytes in
            guard bytes.count >= 12, let base = bytes.baseAddress else {
                throw cell.decodingError("array shorter than its header")
            }
            let dimensions = bytes.bigEndian(Int32.self, at: 0)
            let elementType = PostgresDataType(bytes.bigEndian(UInt32.self, at: 8))
            if dimensions == 0 { return [] }
            guard dimensions == 1, bytes.count >= 20 else {
                throw cell.decodingError("only one-dimensional arrays are supported, got \(dimensions)")
            }
            let count = Int(bytes.bigEndian(Int32.self, at: 12))
            var offset = 20
            var result: [Element] = []
            result.reserveCapacity(count)
            for _ in 0..<count {
                guard offset + 4 <= bytes.count else { throw cell.decodingError("array element out of bounds") }
                let length = Int(bytes.bigEndian(Int32.self, at: offset))
                offset += 4
                var start: UnsafeRawPointer? = nil
                if length >= 0 {
                    guard offset + length <= bytes.count else { throw cell.decodingError("array element out of bounds") }
                    start = base + offset
                    offset += length
                }
                result.append(
                    try cell.decodeElement(Element.self, start: start, count: Swift.max(length, 0), type: elementType))
            }
            return result
        }
    }
}
