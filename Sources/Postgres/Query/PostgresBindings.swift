/// The parameters of a statement: their types and binary-encoded bytes, in `$1`, `$2`, … order.
public struct PostgresBindings: Sendable, Hashable {
    struct Metadata: Sendable, Hashable {
        var type: PostgresDataType
        /// Offset of the value in `bytes`, or `nil` for NULL.
        var offset: Int?
        var length: Int
    }

    private(set) var metadata: [Metadata] = []
    private(set) var bytes: [UInt8] = []

    public init() {}

    public var count: Int { metadata.count }

    /// Appends one parameter.
    public mutating func append<Value: PostgresEncodable>(_ value: Value) {
        if value.isNull {
            metadata.append(Metadata(type: Value.postgresType, offset: nil, length: 0))
            return
        }
        let start = bytes.count
        value.encode(into: &bytes)
        metadata.append(
            Metadata(type: Value.postgresType, offset: start, length: bytes.count - start))
    }
}
