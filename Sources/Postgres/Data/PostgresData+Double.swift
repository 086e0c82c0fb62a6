extension Double: PostgresCodable, PostgresArrayElement {
    public static var postgresType: PostgresDataType { .float8 }
    public static var postgresArrayType: PostgresDataType { .float8Array }

    public func encode(into buffer: inout [UInt8]) { buffer.appendBigEndian(bitPattern) }

    /// Decodes float8, float4, any integer, or numeric (NaN and ±Infinity included).
    public static func decode(from cell: borrowing PostgresCell) throws -> Double {
        try cell.withBytes(for: Double.self) { bytes in
            switch (cell.type, bytes.count) {
            case (.float8, 8): return Double(bitPattern: bytes.bigEndian(UInt64.self, at: 0))
            case (.float4, 4): return Double(Float(bitPattern: bytes.bigEndian(UInt32.self, at: 0)))
            case (.int2, _), (.int4, _), (.int8, _): return Double(try Int64.decode(from: cell))
            case (.numeric, _): return try decodeNumeric(bytes, cell: cell)
            default: throw cell.decodingError("cannot decode \(cell.type) as Double")
            }
        }
    }

    /// numeric's binary form: ndigits, weight, sign, dscale, then base-10000 digits.
    private static func decodeNumeric(_ bytes: UnsafeRawBufferPointer, cell: borrowing PostgresCell) throws -> Double {
        guard bytes.count >= 8 else { throw cell.decodingError("numeric shorter than its header") }
        let digitCount = Int(bytes.bigEndian(Int16.self, at: 0))
        let weight = Int(bytes.bigEndian(Int16.self, at: 2))
        let sign = bytes.bigEndian(UInt16.self, at: 4)
        guard bytes.count == 8 + 2 * digitCount else { throw cell.decodingError("numeric length mismatch") }
        switch sign {
        case 0xC000: return .nan
        case 0xD000: return .infinity
        case 0xF000: return -.infinity
        default: break
        }
        var value = 0.0
        for index in 0..<digitCount {
            let digit = Double(bytes.bigEndian(Int16.self, at: 8 + 2 * index))
            value += digit * pow10000(weight - index)
        }
        return sign == 0x4000 ? -value : value
    }

    private static func pow10000(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10_000 }
        return exponent >= 0 ? result : 1 / result
    }
}
