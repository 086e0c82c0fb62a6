import Foundation

extension UUID: PostgresCodable, PostgresArrayElement {
    public static var postgresType: PostgresDataType { .uuid }
    public static var postgresArrayType: PostgresDataType { .uuidArray }

    public func encode(into buffer: inout [UInt8]) {
        withUnsafeBytes(of: uuid) { buffer.append(contentsOf: $0) }
    }

    public static func decode(from cell: borrowing PostgresCell) throws -> UUID {
        try cell.requireType(.uuid, for: UUID.self)
        return try cell.withBytes(for: UUID.self) { bytes in
            guard bytes.count == 16 else { throw cell.decodingError("uuid must be 16 bytes, got \(bytes.count)") }
            return UUID(uuid: bytes.loadUnaligned(as: uuid_t.self))
        }
    }
}
