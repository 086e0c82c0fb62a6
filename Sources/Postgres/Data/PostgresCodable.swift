/// A Swift value that can be sent to PostgreSQL as a statement parameter.
public protocol PostgresEncodable: Sendable {
    /// The parameter type announced to the server.
    static var postgresType: PostgresDataType { get }
    /// Appends the value's bytes in PostgreSQL's binary format; NULL is expressed by ``Optional``, never here.
    func encode(into buffer: inout [UInt8])
    /// Whether this value is SQL NULL.
    var isNull: Bool { get }
}

extension PostgresEncodable {
    public var isNull: Bool { false }
}

/// A Swift value that can be decoded from a result column in PostgreSQL's binary format.
public protocol PostgresDecodable: Sendable {
    /// Decodes a cell; a NULL cell is an error unless the type is optional.
    static func decode(from cell: borrowing PostgresCell) throws -> Self
}

public typealias PostgresCodable = PostgresEncodable & PostgresDecodable

/// A value that can be an element of a PostgreSQL array parameter.
public protocol PostgresArrayElement: PostgresEncodable {
    static var postgresArrayType: PostgresDataType { get }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresType: PostgresDataType { Wrapped.postgresType }
    public func encode(into buffer: inout [UInt8]) { self?.encode(into: &buffer) }
    public var isNull: Bool { self == nil }
}

/// An array parameter may hold NULLs: `[UUID?]` binds as `uuid[]`.
extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { Wrapped.postgresArrayType }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(from cell: borrowing PostgresCell) throws -> Wrapped? {
        if cell.isNull { return nil }
        return try Wrapped.decode(from: cell)
    }
}
