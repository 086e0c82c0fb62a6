/// One value of a result row, in PostgreSQL's binary format, lent to a decoder.
///
/// A cell is never copied, only borrowed: the driver lends it to ``PostgresDecodable/decode(from:)`` (or to the
/// closure of ``PostgresRow/withCell(at:_:)``) while its result is alive, and nothing can keep it past that call.
/// Its bytes are lent in turn, for the length of a closure (``withBytes(for:_:)``). So no pointer into a result can
/// outlive it, and lending a cell costs no reference counting, which matters on the pull's hot path.
public struct PostgresCell: ~Copyable {
    /// The result `start` points into; its lender keeps it alive while the cell exists.
    private unowned(unsafe) let result: ResultHandle
    /// The value's first byte, or `nil` for SQL NULL.
    private let start: UnsafeRawPointer?
    private let count: Int
    /// The value's type: the column's, or an array's element type.
    public let type: PostgresDataType
    private let column: Int

    init(result: ResultHandle, start: UnsafeRawPointer?, count: Int, type: PostgresDataType, column: Int) {
        self.result = result
        self.start = start
        self.count = count
        self.type = type
        self.column = column
    }

    /// Whether the value is SQL NULL.
    public var isNull: Bool { start == nil }

    /// The name of the result column the value is in.
    public var columnName: String { result.columnNames[column] }

    /// An error naming this cell's column.
    public func decodingError(_ message: String) -> PostgresError {
        PostgresError(code: .decoding, message: message, column: columnName)
    }

    /// Lends the bytes of a non-NULL value to `body`, which must not keep them; throws for NULL.
    public func withBytes<Result>(
        for swiftType: Any.Type, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result {
        guard let start else {
            throw decodingError("NULL cannot be decoded as non-optional \(swiftType)")
        }
        return try body(UnsafeRawBufferPointer(start: start, count: count))
    }

    /// Throws unless the cell is one of `types`.
    public func requireType(_ types: PostgresDataType..., for swiftType: Any.Type) throws {
        guard types.contains(type) else {
            throw decodingError("cannot decode \(type) as \(swiftType)")
        }
    }

    /// Decodes a value inside this one's bytes (an array element; NULL when `start` is nil) of type `type`.
    func decodeElement<Element: PostgresDecodable>(
        _: Element.Type, start: UnsafeRawPointer?, count: Int, type: PostgresDataType
    ) throws -> Element {
        try Element.decode(from: PostgresCell(result: result, start: start, count: count, type: type, column: column))
    }
}

extension UnsafeRawBufferPointer {
    /// Reads a big-endian integer at `offset`; the caller has checked the length.
    func bigEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        T(bigEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
