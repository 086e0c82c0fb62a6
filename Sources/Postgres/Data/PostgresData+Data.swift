import Foundation

extension Data: PostgresCodable, PostgresArrayElement {
    public static var postgresType: PostgresDataType { .bytea }
    public static var postgresArrayType: PostgresDataType { .byteaArray }

    public func encode(into buffer: inout [UInt8]) { buffer.append(contentsOf: self) }

    public static func decode(from cell: borrowing PostgresCell) throws -> Data {
        try cell.requireType(.bytea, for: Data.self)
        return try cell.withBytes(for: Data.self) { Data($0) }
    }
}
