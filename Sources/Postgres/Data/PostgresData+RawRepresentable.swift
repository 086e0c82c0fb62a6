/// Enum-like values travel as their raw value: declare the conformance (`extension Surface: PostgresCodable {}`) and
/// the value binds and decodes directly, as text for a `String` raw value, as an integer for an `Int` one.
extension PostgresEncodable where Self: RawRepresentable, RawValue: PostgresEncodable {
    public static var postgresType: PostgresDataType { RawValue.postgresType }

    public func encode(into buffer: inout [UInt8]) { rawValue.encode(into: &buffer) }
}

extension PostgresArrayElement where Self: RawRepresentable, RawValue: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { RawValue.postgresArrayType }
}

extension PostgresDecodable where Self: RawRepresentable, RawValue: PostgresDecodable {
    /// Decodes the raw value; one that names no value of `Self` is a decoding error naming the column.
    public static func decode(from cell: borrowing PostgresCell) throws -> Self {
        guard let value = Self(rawValue: try RawValue.decode(from: cell)) else {
            throw cell.decodingError("the stored value is not a valid \(Self.self)")
        }
        return value
    }
}
