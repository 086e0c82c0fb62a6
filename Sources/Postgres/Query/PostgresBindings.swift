/// The parameters of a statement: their types and binary-encoded bytes, in `$1`, `$2`, … order.
///
/// Only a ``PostgresQuery`` adds to them, as values are interpolated, so parameters and placeholders always agree.
public struct PostgresBindings: Sendable, Hashable {
    struct Metadata: Sendable, Hashable {
        var type: PostgresDataType
        /// Offset of the value in `bytes`, or `nil` for NULL.
        var offset: Int?
        var length: Int
    }

    private(set) var metadata: [Metadata] = []
    private(set) var bytes: [UInt8] = []

    init() {}

    public var count: Int { metadata.count }

    /// Appends one parameter.
    mutating func append<Value: PostgresEncodable>(_ value: Value) {
        if value.isNull {
            metadata.append(Metadata(type: Value.postgresType, offset: nil, length: 0))
            return
        }
        let start = bytes.count
        value.encode(into: &bytes)
        metadata.append(Metadata(type: Value.postgresType, offset: start, length: bytes.count - start))
    }

    /// Appends the parameters of a nested fragment after these.
    mutating func append(contentsOf other: PostgresBindings) {
        let shift = bytes.count
        bytes.append(contentsOf: other.bytes)
        metadata.reserveCapacity(metadata.count + other.metadata.count)
        for var parameter in other.metadata {
            parameter.offset = parameter.offset.map { $0 + shift }
            metadata.append(parameter)
        }
    }
}
